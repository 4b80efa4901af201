import type { SystemSnapshot } from './snapshot';
import { Findings, groupBy, type Violation } from './violation';

/**
 * Invariant 6 (docs/architecture.md §5): nothing exists that no committed transaction caused. Every event on a topic and in an
 * inbox has its outbox row; every order the client was told about was committed, and no order
 * exists that the client was not told about; every state row has the outbox event its
 * transaction must have written, and every ledger movement its payment event.
 */
export function checkRolledBack(s: SystemSnapshot): Violation[] {
  const f = new Findings('rolledBack');
  const outboxIds = new Set(s.outbox.map((r) => r.eventId));
  for (const p of s.published) {
    f.expect(outboxIds.has(p.eventId), `event ${p.eventId}`, () => `on ${p.topic} (saga ${p.sagaId}) but in no outbox`);
  }
  for (const i of s.inbox) {
    f.expect(outboxIds.has(i.eventId), `event ${i.eventId}`, () => `${i.eventType} ${i.outcome} by ${i.consumer} but in no outbox`);
  }

  const stored = new Set(s.orders.map((o) => o.orderId));
  const told = new Set(s.client.orders.map((o) => o.orderId));
  for (const o of s.client.orders) {
    f.expect(stored.has(o.orderId), `order ${o.orderId}`, () => 'the API accepted it, but no such order was committed');
  }
  const untold = s.orders.filter((o) => !told.has(o.orderId));
  f.expect(
    untold.length <= s.client.unresolved,
    'client',
    () =>
      `${untold.length} order(s) stored that no answered request created (${untold
        .slice(0, 3)
        .map((o) => o.orderId)
        .join(', ')})`,
  );

  const events = groupBy(s.outbox, (r) => `${r.aggregateType}|${r.aggregateId}`);
  const has = (aggregateType: string, id: string, type: string) =>
    (events.get(`${aggregateType}|${id}`) ?? []).some((r) => r.type === type);
  const requires = (subject: string, state: string, aggregateType: string, id: string, types: readonly string[]) => {
    for (const type of types) f.expect(has(aggregateType, id, type), subject, () => `${state} without its ${type} in the outbox`);
  };

  for (const o of s.orders) {
    const subject = `order ${o.orderId}`;
    requires(subject, `order ${o.status}`, 'order', o.orderId, ['OrderPlaced']);
    if (o.status === 'CONFIRMED') requires(subject, 'order CONFIRMED', 'order', o.orderId, ['OrderConfirmed']);
    if (o.status === 'CANCELLED') requires(subject, 'order CANCELLED', 'order', o.orderId, ['OrderCancelled']);
    f.expect(
      !(has('order', o.orderId, 'OrderConfirmed') && has('order', o.orderId, 'OrderCancelled')),
      subject,
      () => 'both OrderConfirmed and OrderCancelled were emitted',
    );
  }
  const RESERVATION_EVENTS: Record<string, readonly string[]> = {
    RESERVED: ['InventoryReserved'],
    COMMITTED: ['InventoryReserved', 'InventoryCommitted'],
    RELEASED: ['InventoryReserved', 'InventoryReleased'],
    REJECTED: ['InventoryRejected'],
  };
  for (const r of s.reservations) {
    requires(`order ${r.orderId}`, `reservation ${r.status}`, 'reservation', r.orderId, RESERVATION_EVENTS[r.status] ?? []);
    f.expect(stored.has(r.orderId), `order ${r.orderId}`, () => `reservation ${r.status} for an order that was never committed`);
  }
  const PAYMENT_EVENTS: Record<string, readonly string[]> = {
    AUTHORIZED: ['PaymentAuthorized'],
    CAPTURED: ['PaymentAuthorized', 'PaymentCaptured'],
    REFUNDED: ['PaymentAuthorized', 'PaymentRefunded'],
    DECLINED: ['PaymentDeclined'],
  };
  for (const p of s.payments) {
    requires(`order ${p.orderId}`, `payment ${p.status}`, 'payment', p.orderId, PAYMENT_EVENTS[p.status] ?? []);
    f.expect(stored.has(p.orderId), `order ${p.orderId}`, () => `payment ${p.status} for an order that was never committed`);
  }
  for (const e of s.ledger) {
    if (e.kind === 'CHARGE') requires(`order ${e.orderId}`, 'ledger CHARGE', 'payment', e.orderId!, ['PaymentAuthorized']);
    if (e.kind === 'REFUND') requires(`order ${e.orderId}`, 'ledger REFUND', 'payment', e.orderId!, ['PaymentRefunded']);
  }
  return f.list;
}
