import { describe, expect, it } from 'vitest';
import { checkInvariants, countByInvariant } from './check-invariants';
import type { Violation } from './violation';
import { consistentWorld, type WorldSnapshot } from './world.fixture';

const check = (breakIt: (w: WorldSnapshot) => void): Violation[] => {
  const w = consistentWorld();
  breakIt(w);
  return checkInvariants(w);
};
const eventOf = (w: WorldSnapshot, aggregateId: string, type: string) =>
  w.outbox.find((r) => r.aggregateId === aggregateId && r.type === type)!;
const summary = (vs: readonly Violation[]) => vs.map((v) => `${v.invariant} | ${v.subject} | ${v.message}`);

describe('checkInvariants on a consistent world', () => {
  it('when every saga path ended consistently, then there is no violation', () => {
    expect(summary(checkInvariants(consistentWorld()))).toEqual([]);
  });
});

describe('the four required fabrications', () => {
  it('when an OrderPlaced was committed but never published or applied by inventory (a lost event), then it is named', () => {
    const vs = check((w) => {
      const lost = eventOf(w, 'o1', 'OrderPlaced');
      w.published = w.published.filter((p) => p.eventId !== lost.eventId);
      w.inbox = w.inbox.filter((i) => !(i.eventId === lost.eventId && i.consumer === 'inventory-service'));
    });
    expect(summary(vs)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^lostEvent \| event .* \| OrderPlaced #1 of order o1 committed in the order outbox never reached order.events$/,
        ),
        expect.stringMatching(/^lostEvent \| event .* \| OrderPlaced #1 of order o1 never reached inventory-service's inbox$/),
      ]),
    );
    expect(countByInvariant(vs)).toMatchObject({ lostEvent: 2, termination: 0, money: 0, stock: 0 });
  });

  it('when an order was charged twice, then money conservation names the order and the customer', () => {
    const vs = check((w) => {
      w.ledger.push({ customerId: 'alice', kind: 'CHARGE', amountCents: -1_000, orderId: 'o1' });
      w.accounts = w.accounts.map((a) => (a.customerId === 'alice' ? { ...a, balanceCents: 8_000 } : a));
    });
    expect(summary(vs)).toEqual(
      expect.arrayContaining([
        'money | order o1 | charged 2 times (-1000, -1000)',
        'money | customer alice | balance 8000 ≠ funded 10000 − captured 1000',
        'money | customer alice | balance 8000 ≠ funded 10000 − CONFIRMED order totals 1000',
      ]),
    );
    expect(vs.every((v) => v.invariant === 'money')).toBe(true);
  });

  it('when a cancelled order still holds its stock, then agreement and stock conservation both say so', () => {
    const vs = check((w) => {
      w.reservations = w.reservations.map((r) => (r.orderId === 'o4' ? { ...r, status: 'RESERVED' } : r));
      w.products = w.products.map((p) => (p.sku === 'apple' ? { ...p, available: 7, reserved: 1 } : p));
      w.outbox = w.outbox.filter((r) => !(r.aggregateId === 'o4' && r.type === 'InventoryReleased'));
      w.published = w.published.filter((p) => w.outbox.some((r) => r.eventId === p.eventId));
      w.inbox = w.inbox.filter((i) => w.outbox.some((r) => r.eventId === i.eventId));
      w.sequences = w.sequences.map((q) => (q.aggregateId === 'o4' && q.aggregateType === 'reservation' ? { ...q, lastSeq: 1 } : q));
    });
    expect(summary(vs)).toEqual([
      'stock | sku apple | 1 unit(s) still reserved at rest',
      'agreement | order o4 | CANCELLED (CUSTOMER_REQUEST) but reservation is RESERVED: stock held',
    ]);
  });

  it('when a saga never terminates, then termination names the order, its parked event and the lagging group', () => {
    const vs = check((w) => {
      w.orders = w.orders.map((o) => (o.orderId === 'o1' ? { ...o, status: 'AWAITING_PAYMENT' } : o));
      w.parked.push({ consumer: 'order-service', eventId: 'e-parked', sagaId: 'o1', reason: 'inventory not yet reserved' });
      w.lag.push({ group: 'order-service', topic: 'payment.events', partition: 3, lag: 2 });
    });
    expect(summary(vs.filter((v) => v.invariant === 'termination'))).toEqual([
      'termination | order o1 | saga did not terminate: still AWAITING_PAYMENT',
      'termination | event e-parked | still parked by order-service for saga o1: inventory not yet reserved',
      'termination | group order-service | 2 record(s) not consumed on payment.events[3]',
    ]);
  });
});

describe('each invariant on its own', () => {
  it('when the shelf does not add up, then stock conservation fails for that sku', () => {
    const vs = check((w) => {
      w.products = w.products.map((p) => (p.sku === 'apple' ? { ...p, sold: 3 } : p));
    });
    expect(summary(vs)).toEqual([
      'stock | sku apple | available 8 + reserved 0 + sold 3 ≠ stocked 10',
      'stock | sku apple | sold 3, but CONFIRMED orders bought 2',
    ]);
  });

  it('when a refund has no charge, then money conservation fails for that order', () => {
    const vs = check((w) => {
      w.ledger.push({ customerId: 'bob', kind: 'REFUND', amountCents: 500, orderId: 'o3' });
      w.accounts = w.accounts.map((a) => (a.customerId === 'bob' ? { ...a, balanceCents: 600 } : a));
    });
    expect(summary(vs)).toContain('money | order o3 | refund without a charge');
  });

  it("when a confirmed order's payment was refunded, then agreement fails", () => {
    const vs = check((w) => {
      w.payments = w.payments.map((p) => (p.orderId === 'o1' ? { ...p, status: 'REFUNDED' } : p));
    });
    expect(summary(vs)).toContain('agreement | order o1 | CONFIRMED but payment is REFUNDED');
  });

  it('when a consumer parked, dead-lettered or skipped part of an aggregate, then each is a lost event', () => {
    const vs = check((w) => {
      const captured = eventOf(w, 'o1', 'PaymentCaptured');
      w.inbox = w.inbox.map((i) =>
        i.eventId === captured.eventId ? { ...i, outcome: 'dead_lettered', reason: 'handler failed 5 times' } : i,
      );
      w.sequences = w.sequences.map((q) => (q.aggregateId === 'o1' && q.aggregateType === 'payment' ? { ...q, lastSeq: 1 } : q));
      w.deadLetters.push({ topic: 'payment.events.dlq', eventId: captured.eventId, sagaId: 'o1', reason: 'HANDLER_FAILED' });
    });
    expect(summary(vs)).toEqual([
      expect.stringMatching(
        /^lostEvent \| event .* \| PaymentCaptured #2 of payment o1 is dead_lettered in order-service's inbox: handler failed 5 times$/,
      ),
      'lostEvent | payment o1 | order-service applied up to seq 1 of 2',
      expect.stringMatching(/^lostEvent \| event .* \| dead-lettered to payment.events.dlq \(saga o1\): HANDLER_FAILED$/),
    ]);
  });

  it.each([
    ['its own consumer applied it later (a redrive), then nothing is lost', 'order-service', []],
    [
      'only another consumer applied it, then it is still lost',
      'no-such-consumer',
      [/dead-lettered to payment.events.dlq \(saga o1\): HANDLER_FAILED$/],
    ],
  ])('when an event was dead-lettered and %s', (_what, consumer, expected) => {
    const vs = check((w) => {
      const { eventId } = eventOf(w, 'o1', 'PaymentCaptured');
      w.deadLetters.push({ topic: 'payment.events.dlq', eventId, sagaId: 'o1', reason: 'HANDLER_FAILED', consumer });
    });
    expect(summary(vs)).toEqual(expected.map((re) => expect.stringMatching(re)));
  });

  it('when one step was emitted twice or a seq is missing, then the aggregate is named', () => {
    const vs = check((w) => {
      w.outbox = w.outbox.map((r) => (r.aggregateId === 'o3' && r.type === 'InventoryReleased' ? { ...r, type: 'InventoryReserved' } : r));
      w.inbox = w.inbox.map((i) =>
        i.aggregateId === 'o3' && i.eventType === 'InventoryReleased' ? { ...i, eventType: 'InventoryReserved' } : i,
      );
    });
    expect(summary(vs)).toEqual(
      expect.arrayContaining([
        'lostEvent | reservation o3 | InventoryReserved emitted 2 times',
        'rolledBack | order o3 | reservation RELEASED without its InventoryReleased in the outbox',
      ]),
    );
  });

  it('when something exists that no committed transaction caused, then it is an effect of a rolled-back transaction', () => {
    const vs = check((w) => {
      w.published.push({ topic: 'order.events', eventId: 'e-phantom', sagaId: 'o1', copies: 1 });
      w.client.orders.push({ orderId: 'o-told', customerId: 'alice', items: [{ sku: 'apple', quantity: 1 }] });
      w.orders.push({
        orderId: 'o-untold',
        customerId: 'bob',
        status: 'CANCELLED',
        cancellationReason: 'TIMEOUT',
        totalCents: 0,
        items: [],
      });
      w.payments.push({ orderId: 'o-ghost', customerId: 'bob', status: 'DECLINED', amountCents: 1 });
    });
    expect(summary(vs.filter((v) => v.invariant === 'rolledBack'))).toEqual([
      'rolledBack | event e-phantom | on order.events (saga o1) but in no outbox',
      'rolledBack | order o-told | the API accepted it, but no such order was committed',
      'rolledBack | client | 1 order(s) stored that no answered request created (o-untold)',
      'rolledBack | order o-untold | order CANCELLED without its OrderPlaced in the outbox',
      'rolledBack | order o-untold | order CANCELLED without its OrderCancelled in the outbox',
      'rolledBack | order o-ghost | payment DECLINED without its PaymentDeclined in the outbox',
      'rolledBack | order o-ghost | payment DECLINED for an order that was never committed',
    ]);
  });

  it('when the client gave up on a request whose order was stored, then that order is not a phantom', () => {
    const vs = check((w) => {
      const o1 = w.client.orders.find((o) => o.orderId === 'o1')!;
      w.client.orders = w.client.orders.filter((o) => o !== o1);
      w.client.unresolved = 1;
    });
    expect(summary(vs)).toEqual(['termination | client | 1 POST /orders never got an answer after the faults healed']);
  });

  it('when Debezium re-sent events, then copies on the topic are not a violation', () => {
    const vs = check((w) => {
      w.published = w.published.map((p) => ({ ...p, copies: 3 }));
    });
    expect(vs).toEqual([]);
  });
});
