import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commitWritesMark, dropCommitWritesAfter, withTransaction, type Pool, type PoolClient } from '@choreo/platform';
import { loadStackConfig } from '@choreo/stack';
import { createTempDatabase, type TempDatabase } from '@choreo/testing';
import { decideOrder } from '../application/order.use-cases';
import { loadOrderForUpdate, lockOrders, saveOrder } from './order.repository';

let db: TempDatabase;
let pool: Pool;
beforeAll(async () => {
  const service = loadStackConfig().services.order;
  db = await createTempDatabase({
    prefix: 'order_it',
    migrationsDir: service.migrationsDir,
    owner: { user: service.user, password: service.password },
  });
  pool = db.pool();
});
afterAll(async () => db?.drop());
// The spies are on pooled clients, which later tests get again.
afterEach(() => vi.restoreAllMocks());

const place = (tx: PoolClient, orderId: string) =>
  decideOrder(tx, {
    type: 'PlaceOrder',
    orderId,
    customerId: 'c-1',
    lines: [{ sku: 'apple', quantity: 2, unitPriceCents: 120 }],
    sagaTimeoutMs: 30_000,
  });
const stored = async (orderId: string) =>
  (await pool.query<{ status: string; state: { status: string } }>('SELECT status, state FROM orders WHERE order_id = $1', [orderId])).rows;
const placedOrder = async () => {
  const orderId = `o-${randomUUID()}`;
  await withTransaction(pool, (tx) => place(tx, orderId));
  return orderId;
};

describe('order rows saved with the COMMIT (real Postgres)', () => {
  it('when a transaction saves an order and decides on it again, then the second load reads the saved state without a query, and the table holds the last state once', async () => {
    const orderId = `o-${randomUUID()}`;
    await withTransaction(pool, async (tx) => {
      await place(tx, orderId);
      const query = vi.spyOn(tx, 'query');
      expect((await decideOrder(tx, { type: 'InventoryReserved', orderId })).kind).toBe('apply');
      expect(query).not.toHaveBeenCalled();
      expect(await stored(orderId)).toEqual([]); // not before the COMMIT
    });

    expect(await stored(orderId)).toEqual([{ status: 'AWAITING_PAYMENT', state: expect.objectContaining({ status: 'AWAITING_PAYMENT' }) }]);
    const seqs = await pool.query<{ type: string; aggregate_seq: string }>(
      'SELECT type, aggregate_seq FROM outbox WHERE aggregateid = $1 ORDER BY aggregate_seq',
      [orderId],
    );
    expect(seqs.rows).toEqual([{ type: 'OrderPlaced', aggregate_seq: '1' }]);
  });

  it('when a batch locks its orders ahead, then loads of them, found or not, ask nothing of the database, and the rows stay locked until the end', async () => {
    const present = await placedOrder();
    const absent = `o-${randomUUID()}`;
    await withTransaction(pool, async (tx) => {
      await lockOrders(tx, [present, absent]);
      const query = vi.spyOn(tx, 'query');
      expect(await loadOrderForUpdate(tx, present)).toMatchObject({ status: 'PENDING', orderId: present });
      expect(await loadOrderForUpdate(tx, absent)).toEqual({ status: 'NONE' });
      expect(query).not.toHaveBeenCalled();
      await expect(pool.query('SELECT 1 FROM orders WHERE order_id = $1 FOR UPDATE NOWAIT', [present])).rejects.toMatchObject({
        code: '55P03',
      });
    });
  });

  it('when the saves after a savepoint are dropped, then a later load reads the table again', async () => {
    const orderId = await placedOrder();
    await withTransaction(pool, async (tx) => {
      const mark = commitWritesMark(tx);
      await decideOrder(tx, { type: 'InventoryReserved', orderId });
      dropCommitWritesAfter(tx, mark);
      const query = vi.spyOn(tx, 'query');
      expect(await loadOrderForUpdate(tx, orderId)).toMatchObject({ status: 'PENDING' });
      expect(query).toHaveBeenCalledTimes(1);
    });
    expect(await stored(orderId)).toEqual([{ status: 'PENDING', state: expect.objectContaining({ status: 'PENDING' }) }]);
  });

  it('when the transaction was not opened by withTransaction, then a save writes at once', async () => {
    const orderId = await placedOrder();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const state = await loadOrderForUpdate(client, orderId);
      await saveOrder(client, { ...(state as Exclude<typeof state, { status: 'NONE' }>), status: 'AWAITING_PAYMENT' });
      const { rows } = await client.query<{ status: string }>('SELECT status FROM orders WHERE order_id = $1', [orderId]);
      expect(rows).toEqual([{ status: 'AWAITING_PAYMENT' }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
