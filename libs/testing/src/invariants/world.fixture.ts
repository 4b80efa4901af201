import { CONSUMERS_OF, SOURCE_OF, topicOf, type AggregateKind, type OutboxRow, type SystemSnapshot } from './snapshot';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };
export type WorldSnapshot = Omit<Mutable<SystemSnapshot>, 'client'> & { client: Mutable<SystemSnapshot['client']> };

/**
 * A small, fully consistent world built the way the services would have built it: every saga
 * path (confirmed, out of stock, declined, cancelled after the charge, timed out before the
 * reservation), each step's outbox row published once and applied once by every consumer.
 * Tests break one thing in it and expect the checker to name exactly that.
 */
export function consistentWorld(): WorldSnapshot {
  const w: WorldSnapshot = {
    client: { orders: [], unresolved: 0, funding: { alice: 10_000, bob: 100 }, stocked: { apple: 10, pear: 1 } },
    orders: [], reservations: [], products: [], payments: [], accounts: [], ledger: [],
    outbox: [], inbox: [], parked: [], sequences: [], published: [], deadLetters: [], lag: [],
  };
  let n = 0;
  const emit = (aggregateType: AggregateKind, aggregateId: string, type: string) => {
    const seq = w.outbox.filter((r) => r.aggregateType === aggregateType && r.aggregateId === aggregateId).length + 1;
    const sagaId = aggregateId;
    const row: OutboxRow = { db: SOURCE_OF[aggregateType], eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, aggregateType, aggregateId, type, seq, sagaId };
    w.outbox.push(row);
  };
  const ledger = (customerId: string, kind: 'FUNDING' | 'CHARGE' | 'REFUND', amountCents: number, orderId: string | null = null) =>
    w.ledger.push({ customerId, kind, amountCents, orderId });

  emit('product', 'apple', 'ProductUpserted');
  emit('product', 'pear', 'ProductUpserted');
  ledger('alice', 'FUNDING', 10_000);
  ledger('bob', 'FUNDING', 100);

  const order = (orderId: string, customerId: string, sku: string, quantity: number, status: string, reason: string | null) => {
    const item = { sku, quantity, unitPriceCents: 500 };
    w.orders.push({ orderId, customerId, status, cancellationReason: reason, totalCents: quantity * 500, items: [item] });
    w.client.orders.push({ orderId, customerId, items: [{ sku, quantity }] });
    emit('order', orderId, 'OrderPlaced');
  };

  // o1: confirmed — 2 apples, 1000 cents.
  order('o1', 'alice', 'apple', 2, 'CONFIRMED', null);
  emit('reservation', 'o1', 'InventoryReserved');
  emit('payment', 'o1', 'PaymentAuthorized');
  ledger('alice', 'CHARGE', -1_000, 'o1');
  emit('order', 'o1', 'OrderConfirmed');
  emit('reservation', 'o1', 'InventoryCommitted');
  emit('payment', 'o1', 'PaymentCaptured');
  w.reservations.push({ orderId: 'o1', status: 'COMMITTED' });
  w.payments.push({ orderId: 'o1', customerId: 'alice', status: 'CAPTURED', amountCents: 1_000 });

  // o2: out of stock — 5 pears, only 1 stocked.
  order('o2', 'alice', 'pear', 5, 'CANCELLED', 'OUT_OF_STOCK');
  emit('reservation', 'o2', 'InventoryRejected');
  emit('order', 'o2', 'OrderCancelled');
  w.reservations.push({ orderId: 'o2', status: 'REJECTED' });
  w.payments.push({ orderId: 'o2', customerId: null, status: 'CANCELLED_BEFORE_CHARGE', amountCents: null });

  // o3: declined — bob has 100 cents, the order costs 500; the reservation is released.
  order('o3', 'bob', 'apple', 1, 'CANCELLED', 'PAYMENT_DECLINED');
  emit('reservation', 'o3', 'InventoryReserved');
  emit('payment', 'o3', 'PaymentDeclined');
  emit('order', 'o3', 'OrderCancelled');
  emit('reservation', 'o3', 'InventoryReleased');
  w.reservations.push({ orderId: 'o3', status: 'RELEASED' });
  w.payments.push({ orderId: 'o3', customerId: 'bob', status: 'DECLINED', amountCents: 500 });

  // o4: cancelled by the customer after the charge — refunded, released.
  order('o4', 'alice', 'apple', 1, 'CANCELLED', 'CUSTOMER_REQUEST');
  emit('reservation', 'o4', 'InventoryReserved');
  emit('payment', 'o4', 'PaymentAuthorized');
  ledger('alice', 'CHARGE', -500, 'o4');
  emit('order', 'o4', 'OrderCancelled');
  emit('reservation', 'o4', 'InventoryReleased');
  emit('payment', 'o4', 'PaymentRefunded');
  ledger('alice', 'REFUND', 500, 'o4');
  w.reservations.push({ orderId: 'o4', status: 'RELEASED' });
  w.payments.push({ orderId: 'o4', customerId: 'alice', status: 'REFUNDED', amountCents: 500 });

  // o5: timed out before inventory saw it — nothing reserved, nothing charged.
  order('o5', 'alice', 'apple', 1, 'CANCELLED', 'TIMEOUT');
  emit('order', 'o5', 'OrderCancelled');
  w.reservations.push({ orderId: 'o5', status: 'CANCELLED_BEFORE_RESERVATION' });
  w.payments.push({ orderId: 'o5', customerId: null, status: 'CANCELLED_BEFORE_CHARGE', amountCents: null });

  w.products.push({ sku: 'apple', available: 8, reserved: 0, sold: 2, stocked: 10 });
  w.products.push({ sku: 'pear', available: 1, reserved: 0, sold: 0, stocked: 1 });
  w.accounts.push({ customerId: 'alice', balanceCents: 9_000 }, { customerId: 'bob', balanceCents: 100 });

  for (const row of w.outbox) {
    w.published.push({ topic: topicOf(row.aggregateType), eventId: row.eventId, sagaId: row.sagaId, copies: 1 });
    for (const consumer of CONSUMERS_OF[row.aggregateType]) {
      w.inbox.push({ consumer, eventId: row.eventId, eventType: row.type, aggregateType: row.aggregateType, aggregateId: row.aggregateId,
        seq: row.seq, sagaId: row.sagaId, outcome: 'applied', reason: null });
      const key = (q: { consumer: string; aggregateType: string; aggregateId: string }) =>
        q.consumer === consumer && q.aggregateType === row.aggregateType && q.aggregateId === row.aggregateId;
      const existing = w.sequences.find(key);
      if (existing) w.sequences[w.sequences.indexOf(existing)] = { ...existing, lastSeq: row.seq };
      else w.sequences.push({ consumer, aggregateType: row.aggregateType, aggregateId: row.aggregateId, lastSeq: row.seq });
    }
  }
  for (const group of ['order-service', 'inventory-service', 'payment-service']) w.lag.push({ group, topic: 'order.events', partition: 0, lag: 0 });
  return w;
}
