import type { OrderState } from '@choreo/order-domain';
import { initialOrderState } from '@choreo/order-domain';
import type { PoolClient } from 'pg';

type Stored = Exclude<OrderState, { status: 'NONE' }>;

/** Loads an order for a decision; the row lock queues concurrent deciders on the same order. */
export async function loadOrderForUpdate(tx: PoolClient, orderId: string): Promise<OrderState> {
  const { rows } = await tx.query<{ state: Stored }>({
    name: 'order.load-order-for-update',
    text: 'SELECT state FROM orders WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialOrderState;
}

export async function findOrder(db: Pick<PoolClient, 'query'>, orderId: string): Promise<Stored | undefined> {
  const { rows } = await db.query<{ state: Stored }>({
    name: 'order.find-order',
    text: 'SELECT state FROM orders WHERE order_id = $1',
    values: [orderId],
  });
  return rows[0]?.state;
}

/** The first save stores the deadline placing decided; later saves leave deadline_at as it is. */
export async function saveOrder(tx: PoolClient, state: OrderState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save an order that does not exist');
  await tx.query({
    name: 'order.save-order',
    text: `INSERT INTO orders (order_id, customer_id, status, state, total_cents, deadline_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()`,
    values: [state.orderId, state.customerId, state.status, JSON.stringify(state), state.totalCents, state.deadlineAt],
  });
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
