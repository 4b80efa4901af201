import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../testing/temp-database';
import { paymentFixture } from '../testing/payment-fixture';

let db: TempDatabase;
let f: ReturnType<typeof paymentFixture>;
beforeAll(async () => {
  db = await createTempDatabase();
  f = paymentFixture(db.pool);
});
afterAll(async () => db?.drop());

const sum = (entries: { amountCents: number }[]) => entries.reduce((total, e) => total + e.amountCents, 0);

describe('setAccountBalance', () => {
  it('when an account is created, raised, lowered and set to the same value, then FUNDING entries explain every change', async () => {
    const customerId = `c-${randomUUID()}`;
    await f.fund(customerId, 1_000);
    await f.fund(customerId, 1_500);
    await f.fund(customerId, 200);
    await f.fund(customerId, 200);

    expect(await f.balance(customerId)).toBe(200);
    expect((await f.ledger({ customerId })).map((e) => [e.kind, e.amountCents, e.orderId])).toEqual([
      ['FUNDING', 1_000, null],
      ['FUNDING', 500, null],
      ['FUNDING', -1_300, null],
    ]);
  });

  it('when a new account is funded by 10 requests at once, then the ledger still sums to the balance', async () => {
    const customerId = `c-${randomUUID()}`;
    await Promise.all(Array.from({ length: 10 }, (_, i) => f.fund(customerId, (i + 1) * 100)));

    const balance = await f.balance(customerId);
    expect(sum(await f.ledger({ customerId }))).toBe(balance);
  });

  it('when the balance is set after a charge, then the FUNDING entry is relative to the debited balance', async () => {
    const customerId = `c-${randomUUID()}`;
    const orderId = `o-${randomUUID()}`;
    await f.fund(customerId, 1_000);
    await f.placed(orderId, customerId, 400);
    await f.reserved(orderId);
    await f.fund(customerId, 1_000);

    expect((await f.ledger({ customerId })).map((e) => [e.kind, e.amountCents])).toEqual([
      ['FUNDING', 1_000],
      ['CHARGE', -400],
      ['FUNDING', 400],
    ]);
    expect(sum(await f.ledger({ customerId }))).toBe(1_000);
  });
});
