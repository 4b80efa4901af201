import type { OrderState } from '@choreo/order-domain';
import { initialOrderState } from '@choreo/order-domain';
import { jsonLiteral, knownRow, lockAndHold, writeAtCommit, type CommitUpsert, type PoolClient } from '@choreo/platform';

type Stored = Exclude<OrderState, { status: 'NONE' }>;

/**
 * Orders saved in a transaction, upserted with its COMMIT (one statement for all of them). The
 * first save stores the deadline placing decided; later saves leave deadline_at as it is.
 */
const ORDER_SAVE: CommitUpsert<Stored> = {
  key: (state) => state.orderId,
  sql: (states) => `INSERT INTO orders (order_id, customer_id, status, state, total_cents, deadline_at)
     SELECT s->>'orderId', s->>'customerId', s->>'status', s, (s->>'totalCents')::bigint, (s->>'deadlineAt')::timestamptz
       FROM jsonb_array_elements(${jsonLiteral(states)}) AS s
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()`,
};

/**
 * Loads an order for a decision; the row lock queues concurrent deciders on the same order.
 * An order this transaction saved already is read back from the save: the table has it only
 * from the COMMIT on (the row is locked by this transaction, or new and not yet visible to others).
 */
export async function loadOrderForUpdate(tx: PoolClient, orderId: string): Promise<OrderState> {
  const known = knownRow(tx, ORDER_SAVE, orderId);
  if (known !== undefined) return known ?? initialOrderState;
  const { rows } = await tx.query<{ state: Stored }>({
    name: 'order.load-order-for-update',
    text: 'SELECT state FROM orders WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialOrderState;
}

/**
 * Locks and reads the orders of a consumer batch in one round trip, in key order, before its
 * handlers run: their loads then read them from the transaction (`knownRow`), absent ones too.
 */
export const lockOrders = (tx: PoolClient, orderIds: readonly string[]): Promise<void> =>
  lockAndHold(
    tx,
    ORDER_SAVE,
    { name: 'order.lock-orders', text: 'SELECT state FROM orders WHERE order_id = ANY($1) ORDER BY order_id FOR UPDATE' },
    orderIds,
  );

export async function findOrder(db: Pick<PoolClient, 'query'>, orderId: string): Promise<Stored | undefined> {
  const { rows } = await db.query<{ state: Stored }>({
    name: 'order.find-order',
    text: 'SELECT state FROM orders WHERE order_id = $1',
    values: [orderId],
  });
  return rows[0]?.state;
}

export async function saveOrder(tx: PoolClient, state: OrderState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save an order that does not exist');
  if (!writeAtCommit(tx, ORDER_SAVE, [state])) await tx.query(ORDER_SAVE.sql([state]));
}

/** Open orders past their deadline, skipping rows another instance is already handling. */
export async function claimExpiredOrders(tx: PoolClient, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ order_id: string }>({
    name: 'order.claim-expired-orders',
    text: `SELECT order_id FROM orders WHERE status IN ('PENDING', 'AWAITING_PAYMENT') AND deadline_at < now()
     ORDER BY deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    values: [limit],
  });
  return rows.map((r) => r.order_id);
}
