import { randomUUID } from 'node:crypto';
import { topicOf } from '@choreo/contracts';
import { CONSUMERS_OF, SOURCE_OF, type AggregateKind, type OutboxRow, type SystemSnapshot } from './snapshot';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };
export type WorldSnapshot = Omit<Mutable<SystemSnapshot>, 'client'> & { client: Mutable<SystemSnapshot['client']> };

/**
 * A small, fully consistent world built the way the services would have built it: every saga
 * path (confirmed, out of stock, declined, cancelled after the charge, timed out before the
 * reservation), each step's outbox row published once and applied once by every consumer.
 * Tests break one thing in it and expect the checker to name exactly that.
 */
export function consistentWorld(prefix = ''): WorldSnapshot {
  const id = (name: string) => `${prefix}${name}`;
  const w: WorldSnapshot = {
    client: {
      orders: [],
      unresolved: 0,
      funding: { [id('alice')]: 10_000, [id('bob')]: 100 },
      stocked: { [id('apple')]: 10, [id('pear')]: 1 },
    },
    orders: [],
    reservations: [],
    products: [],
    payments: [],
    accounts: [],
    ledger: [],
    outbox: [],
    inbox: [],
    parked: [],
    sequences: [],
    published: [],
    deadLetters: [],
    lag: [],
  };
  const emit = (aggregateType: AggregateKind, aggregateId: string, type: string) => {
    const seq = w.outbox.filter((r) => r.aggregateType === aggregateType && r.aggregateId === aggregateId).length + 1;
    const sagaId = aggregateId;
    const row: OutboxRow = { db: SOURCE_OF[aggregateType], eventId: randomUUID(), aggregateType, aggregateId, type, seq, sagaId };
    w.outbox.push(row);
  };
  const ledger = (customerId: string, kind: 'FUNDING' | 'CHARGE' | 'REFUND', amountCents: number, orderId: string | null = null) =>
    w.ledger.push({ customerId, kind, amountCents, orderId });

  emit('product', id('apple'), 'ProductUpserted');
  emit('product', id('pear'), 'ProductUpserted');
  ledger(id('alice'), 'FUNDING', 10_000);
  ledger(id('bob'), 'FUNDING', 100);

  const order = (orderId: string, customerId: string, sku: string, quantity: number, status: string, reason: string | null) => {
    const item = { sku, quantity, unitPriceCents: 500 };
    w.orders.push({ orderId, customerId, status, cancellationReason: reason, totalCents: quantity * 500, items: [item] });
    w.client.orders.push({ orderId, customerId, items: [{ sku, quantity }] });
    emit('order', orderId, 'OrderPlaced');
  };

  // o1: confirmed — 2 apples, 1000 cents.
  order(id('o1'), id('alice'), id('apple'), 2, 'CONFIRMED', null);
  emit('reservation', id('o1'), 'InventoryReserved');
  emit('payment', id('o1'), 'PaymentAuthorized');
  ledger(id('alice'), 'CHARGE', -1_000, id('o1'));
  emit('order', id('o1'), 'OrderConfirmed');
  emit('reservation', id('o1'), 'InventoryCommitted');
  emit('payment', id('o1'), 'PaymentCaptured');
  w.reservations.push({ orderId: id('o1'), status: 'COMMITTED' });
  w.payments.push({ orderId: id('o1'), customerId: id('alice'), status: 'CAPTURED', amountCents: 1_000 });

  // o2: out of stock — 5 pears, only 1 stocked.
  order(id('o2'), id('alice'), id('pear'), 5, 'CANCELLED', 'OUT_OF_STOCK');
  emit('reservation', id('o2'), 'InventoryRejected');
  emit('order', id('o2'), 'OrderCancelled');
  w.reservations.push({ orderId: id('o2'), status: 'REJECTED' });
  w.payments.push({ orderId: id('o2'), customerId: null, status: 'CANCELLED_BEFORE_CHARGE', amountCents: null });

  // o3: declined — bob has 100 cents, the order costs 500; the reservation is released.
  order(id('o3'), id('bob'), id('apple'), 1, 'CANCELLED', 'PAYMENT_DECLINED');
  emit('reservation', id('o3'), 'InventoryReserved');
  emit('payment', id('o3'), 'PaymentDeclined');
  emit('order', id('o3'), 'OrderCancelled');
  emit('reservation', id('o3'), 'InventoryReleased');
  w.reservations.push({ orderId: id('o3'), status: 'RELEASED' });
  w.payments.push({ orderId: id('o3'), customerId: id('bob'), status: 'DECLINED', amountCents: 500 });

  // o4: cancelled by the customer after the charge — refunded, released.
  order(id('o4'), id('alice'), id('apple'), 1, 'CANCELLED', 'CUSTOMER_REQUEST');
  emit('reservation', id('o4'), 'InventoryReserved');
  emit('payment', id('o4'), 'PaymentAuthorized');
  ledger(id('alice'), 'CHARGE', -500, id('o4'));
  emit('order', id('o4'), 'OrderCancelled');
  emit('reservation', id('o4'), 'InventoryReleased');
  emit('payment', id('o4'), 'PaymentRefunded');
  ledger(id('alice'), 'REFUND', 500, id('o4'));
  w.reservations.push({ orderId: id('o4'), status: 'RELEASED' });
  w.payments.push({ orderId: id('o4'), customerId: id('alice'), status: 'REFUNDED', amountCents: 500 });

  // o5: timed out before inventory saw it — nothing reserved, nothing charged.
  order(id('o5'), id('alice'), id('apple'), 1, 'CANCELLED', 'TIMEOUT');
  emit('order', id('o5'), 'OrderCancelled');
  w.reservations.push({ orderId: id('o5'), status: 'CANCELLED_BEFORE_RESERVATION' });
  w.payments.push({ orderId: id('o5'), customerId: null, status: 'CANCELLED_BEFORE_CHARGE', amountCents: null });

  w.products.push({ sku: id('apple'), available: 8, reserved: 0, sold: 2, stocked: 10 });
  w.products.push({ sku: id('pear'), available: 1, reserved: 0, sold: 0, stocked: 1 });
  w.accounts.push({ customerId: id('alice'), balanceCents: 9_000 }, { customerId: id('bob'), balanceCents: 100 });

  for (const row of w.outbox) {
    w.published.push({ topic: topicOf(row.aggregateType), eventId: row.eventId, sagaId: row.sagaId, copies: 1 });
    for (const consumer of CONSUMERS_OF[row.aggregateType]) {
      w.inbox.push({
        consumer,
        eventId: row.eventId,
        eventType: row.type,
        aggregateType: row.aggregateType,
        aggregateId: row.aggregateId,
        seq: row.seq,
        sagaId: row.sagaId,
        outcome: 'applied',
        reason: null,
      });
      const key = (q: { consumer: string; aggregateType: string; aggregateId: string }) =>
        q.consumer === consumer && q.aggregateType === row.aggregateType && q.aggregateId === row.aggregateId;
      const existing = w.sequences.find(key);
      if (existing) w.sequences[w.sequences.indexOf(existing)] = { ...existing, lastSeq: row.seq };
      else w.sequences.push({ consumer, aggregateType: row.aggregateType, aggregateId: row.aggregateId, lastSeq: row.seq });
    }
  }
  for (const group of ['order-service', 'inventory-service', 'payment-service'])
    w.lag.push({ group, topic: 'order.events', partition: 0, lag: 0 });
  return w;
}
