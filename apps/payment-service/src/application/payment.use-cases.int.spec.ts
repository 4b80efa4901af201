import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '@choreo/platform';
import { createTempDatabase, type TempDatabase } from '../testing/temp-database';
import { paymentFixture } from '../testing/payment-fixture';
import { decidePayment } from './payment.use-cases';

let db: TempDatabase;
let f: ReturnType<typeof paymentFixture>;
const ids = () => ({ orderId: `o-${randomUUID()}`, customerId: `c-${randomUUID()}` });

beforeAll(async () => {
  db = await createTempDatabase();
  f = paymentFixture(db.pool);
});
afterAll(async () => db?.drop());

describe('decidePayment: charging', () => {
  it('when inventory is reserved and the balance covers the order, then it is debited once with one CHARGE and PaymentAuthorized', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 10_000);
    await f.placed(orderId, customerId, 2_500);

    expect((await f.reserved(orderId)).kind).toBe('apply');

    expect(await f.balance(customerId)).toBe(7_500);
    expect(await f.ledger({ orderId })).toEqual([{ customerId, kind: 'CHARGE', amountCents: -2_500, orderId }]);
    expect(await f.payment(orderId)).toMatchObject({ status: 'AUTHORIZED', amountCents: 2_500 });
    expect(await f.outbox(orderId)).toEqual([
      {
        type: 'PaymentAuthorized',
        payload: { orderId, customerId, amountCents: 2_500 },
        aggregateType: 'payment',
        seq: 1,
        sagaId: orderId,
      },
    ]);
  });

  it('when the balance equals the amount exactly, then it is authorized and the balance ends at zero', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 2_500);
    await f.placed(orderId, customerId, 2_500);
    await f.reserved(orderId);
    expect(await f.payment(orderId)).toMatchObject({ status: 'AUTHORIZED' });
    expect(await f.balance(customerId)).toBe(0);
  });

  it('when InventoryReserved is handled twice, then the second is ignored and the balance is debited once', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 10_000);
    await f.placed(orderId, customerId, 4_000);
    await f.reserved(orderId);

    expect((await f.reserved(orderId)).kind).toBe('ignore');

    expect(await f.balance(customerId)).toBe(6_000);
    expect((await f.ledger({ orderId })).filter((e) => e.kind === 'CHARGE')).toHaveLength(1);
    expect((await f.outbox(orderId)).map((e) => e.type)).toEqual(['PaymentAuthorized']);
  });

  it('when InventoryReserved is handled by 8 transactions at once, then exactly one charges', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 10_000);
    await f.placed(orderId, customerId, 1_000);

    const kinds = (await Promise.all(Array.from({ length: 8 }, () => f.reserved(orderId)))).map((o) => o.kind);

    expect(kinds.filter((k) => k === 'apply')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'ignore')).toHaveLength(7);
    expect(await f.balance(customerId)).toBe(9_000);
    expect(await f.ledger({ orderId })).toEqual([{ customerId, kind: 'CHARGE', amountCents: -1_000, orderId }]);
    expect((await f.outbox(orderId)).map((e) => e.type)).toEqual(['PaymentAuthorized']);
  });

  it('when two orders of one customer race for a balance that covers only one, then one is authorized and one declined', async () => {
    const customerId = `c-${randomUUID()}`;
    const [a, b] = [`o-${randomUUID()}`, `o-${randomUUID()}`];
    await f.fund(customerId, 1_500);
    await f.placed(a, customerId, 1_000);
    await f.placed(b, customerId, 1_000);

    await Promise.all([f.reserved(a), f.reserved(b)]);

    const statuses = [(await f.payment(a))?.status, (await f.payment(b))?.status].sort();
    expect(statuses).toEqual(['AUTHORIZED', 'DECLINED']);
    expect(await f.balance(customerId)).toBe(500);
  });

  it('when the payment state is bypassed (a bug) and the order is charged again, then the database refuses it and the debit rolls back', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 10_000);
    await f.placed(orderId, customerId, 1_000);
    await f.reserved(orderId);
    // Simulate a lost state row: the state machine would now happily charge a second time.
    await db.pool.query(
      `UPDATE payments SET status = 'AWAITING_RESERVATION', state = jsonb_set(state, '{status}', '"AWAITING_RESERVATION"') WHERE order_id = $1`,
      [orderId],
    );

    await expect(f.reserved(orderId)).rejects.toMatchObject({ code: '23505', constraint: 'ledger_one_charge_per_order_idx' });

    expect(await f.balance(customerId)).toBe(9_000);
    expect((await f.ledger({ orderId })).map((e) => e.kind)).toEqual(['CHARGE']);
    expect((await f.outbox(orderId)).map((e) => e.type)).toEqual(['PaymentAuthorized']);
  });

  it('when the balance is short, then PaymentDeclined is published and no money moves', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 999);
    await f.placed(orderId, customerId, 1_000);

    await f.reserved(orderId);

    expect(await f.balance(customerId)).toBe(999);
    expect(await f.ledger({ orderId })).toEqual([]);
    expect(await f.payment(orderId)).toMatchObject({ status: 'DECLINED' });
    expect((await f.outbox(orderId)).map((e) => [e.type, e.payload])).toEqual([
      ['PaymentDeclined', { orderId, reason: 'INSUFFICIENT_FUNDS' }],
    ]);
  });

  it('when the customer has no account, then the payment is declined and no account appears', async () => {
    const { orderId, customerId } = ids();
    await f.placed(orderId, customerId, 1);
    await f.reserved(orderId);
    expect(await f.payment(orderId)).toMatchObject({ status: 'DECLINED' });
    expect(await f.balance(customerId)).toBeUndefined();
  });

  it('when InventoryReserved arrives before OrderPlaced, then it parks and stores nothing', async () => {
    const { orderId } = ids();
    expect((await f.reserved(orderId)).kind).toBe('park');
    expect(await f.payment(orderId)).toBeUndefined();
    expect(await f.outbox(orderId)).toEqual([]);
  });

  it('when the debit misses (a decision on a stale balance), then it throws and the whole transaction rolls back', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 100);
    await f.placed(orderId, customerId, 1_000);

    const stale = withTransaction(db.pool, (tx) => decidePayment(tx, { type: 'InventoryReserved', orderId, balanceCents: 1_000_000 }));

    await expect(stale).rejects.toMatchObject({ code: 'PAYMENT.INVARIANT' });
    expect(await f.payment(orderId)).toMatchObject({ status: 'AWAITING_RESERVATION' });
    expect(await f.balance(customerId)).toBe(100);
    expect(await f.ledger({ orderId })).toEqual([]);
    expect(await f.outbox(orderId)).toEqual([]);
  });
});

describe('decidePayment: compensation and capture', () => {
  it('when the order is cancelled after the charge, then it is refunded exactly once, even when cancelled again and concurrently', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 5_000);
    await f.placed(orderId, customerId, 3_000);
    await f.reserved(orderId);

    const kinds = (await Promise.all([f.cancelled(orderId), f.cancelled(orderId), f.cancelled(orderId)])).map((o) => o.kind).sort();
    await f.cancelled(orderId);

    expect(kinds).toEqual(['apply', 'ignore', 'ignore']);
    expect(await f.balance(customerId)).toBe(5_000);
    expect(await f.ledger({ orderId })).toEqual([
      { customerId, kind: 'CHARGE', amountCents: -3_000, orderId },
      { customerId, kind: 'REFUND', amountCents: 3_000, orderId },
    ]);
    expect(await f.payment(orderId)).toMatchObject({ status: 'REFUNDED' });
    expect((await f.outbox(orderId)).map((e) => [e.seq, e.type, e.payload])).toEqual([
      [1, 'PaymentAuthorized', { orderId, customerId, amountCents: 3_000 }],
      [2, 'PaymentRefunded', { orderId, amountCents: 3_000 }],
    ]);
  });

  it('when the order is cancelled before the reservation, then the later InventoryReserved charges nothing', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 5_000);
    await f.placed(orderId, customerId, 3_000);
    await f.cancelled(orderId);

    expect((await f.reserved(orderId)).kind).toBe('ignore');

    expect(await f.balance(customerId)).toBe(5_000);
    expect(await f.ledger({ orderId })).toEqual([]);
    expect(await f.outbox(orderId)).toEqual([]);
  });

  it('when a declined payment is cancelled, then nothing is refunded', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 10);
    await f.placed(orderId, customerId, 3_000);
    await f.reserved(orderId);

    expect((await f.cancelled(orderId)).kind).toBe('ignore');

    expect(await f.balance(customerId)).toBe(10);
    expect(await f.ledger({ orderId })).toEqual([]);
  });

  it('when the order is confirmed, then the payment is captured without moving money again', async () => {
    const { orderId, customerId } = ids();
    await f.fund(customerId, 5_000);
    await f.placed(orderId, customerId, 3_000);
    await f.reserved(orderId);

    await f.confirmed(orderId);
    await f.confirmed(orderId);

    expect(await f.balance(customerId)).toBe(2_000);
    expect(await f.payment(orderId)).toMatchObject({ status: 'CAPTURED' });
    expect((await f.outbox(orderId)).map((e) => [e.type, e.payload])).toEqual([
      ['PaymentAuthorized', { orderId, customerId, amountCents: 3_000 }],
      ['PaymentCaptured', { orderId }],
    ]);
    expect((await f.ledger({ orderId })).map((e) => e.kind)).toEqual(['CHARGE']);
  });
});

describe('money conservation', () => {
  it('when every scenario above has run, then each balance equals the sum of its ledger and no order has two charges', async () => {
    const { rows: drift } = await db.pool.query(
      `SELECT a.customer_id, a.balance_cents, COALESCE(SUM(l.amount_cents), 0) AS ledger_sum
       FROM accounts a LEFT JOIN ledger l USING (customer_id)
       GROUP BY a.customer_id, a.balance_cents HAVING a.balance_cents <> COALESCE(SUM(l.amount_cents), 0)`,
    );
    const { rows: accounts } = await db.pool.query('SELECT count(*)::int AS n FROM accounts');
    const { rows: doubles } = await db.pool.query(
      `SELECT order_id FROM ledger WHERE kind = 'CHARGE' GROUP BY order_id HAVING count(*) > 1`,
    );
    expect(accounts[0].n).toBeGreaterThan(5);
    expect(drift).toEqual([]);
    expect(doubles).toEqual([]);
  });
});
