import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../testing/temp-database';

let db: TempDatabase;
beforeAll(async () => {
  db = await createTempDatabase();
});
afterAll(async () => db?.drop());

const insert = (kind: string, amountCents: number, orderId: string | null) =>
  db.pool.query('INSERT INTO ledger (customer_id, kind, amount_cents, order_id) VALUES ($1, $2, $3, $4)', [
    'c-1',
    kind,
    amountCents,
    orderId,
  ]);

/** Whatever the code does, the schema itself refuses what would break money conservation. */
describe('payments schema', () => {
  it('when a second CHARGE is written for an order, then the database refuses it', async () => {
    await insert('CHARGE', -100, 'o-charge');
    await expect(insert('CHARGE', -100, 'o-charge')).rejects.toMatchObject({
      code: '23505',
      constraint: 'ledger_one_charge_per_order_idx',
    });
  });

  it('when a second REFUND is written for an order, then the database refuses it', async () => {
    await insert('REFUND', 100, 'o-refund');
    await expect(insert('REFUND', 100, 'o-refund')).rejects.toMatchObject({ code: '23505', constraint: 'ledger_one_refund_per_order_idx' });
  });

  it('when one order has its CHARGE and its REFUND, and a customer is funded many times, then all are accepted', async () => {
    await insert('CHARGE', -100, 'o-both');
    await insert('REFUND', 100, 'o-both');
    await insert('FUNDING', 500, null);
    await insert('FUNDING', -200, null);
  });

  it.each([
    ['a CHARGE that credits', 'CHARGE', 100, 'o-sign-1'],
    ['a REFUND that debits', 'REFUND', -100, 'o-sign-2'],
    ['a CHARGE without an order', 'CHARGE', -100, null],
    ['a FUNDING tied to an order', 'FUNDING', 100, 'o-sign-3'],
    ['an unknown kind', 'BONUS', 100, null],
  ])('when %s is written, then a check constraint refuses it', async (_name, kind, amount, orderId) => {
    await expect(insert(kind, amount, orderId)).rejects.toMatchObject({ code: '23514' });
  });

  it('when a balance would go below zero, then the database refuses it', async () => {
    await db.pool.query("INSERT INTO accounts (customer_id, balance_cents) VALUES ('c-neg', 5)");
    await expect(db.pool.query("UPDATE accounts SET balance_cents = balance_cents - 6 WHERE customer_id = 'c-neg'")).rejects.toMatchObject({
      code: '23514',
    });
  });
});
