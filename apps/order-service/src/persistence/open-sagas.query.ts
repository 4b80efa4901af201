import type { Pool } from '@choreo/platform';

/** Non-terminal orders, oldest first: the sagas an operator may have to look at. */
export async function findOpenSagas(pool: Pool, limit = 200) {
  const { rows } = await pool.query<{
    order_id: string;
    customer_id: string;
    status: 'PENDING' | 'AWAITING_PAYMENT';
    created_at: Date;
    deadline_at: Date;
    now: Date;
  }>(
    `SELECT order_id, customer_id, status, created_at, deadline_at, now() AS now FROM orders
      WHERE status IN ('PENDING', 'AWAITING_PAYMENT') ORDER BY created_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    orderId: r.order_id,
    customerId: r.customer_id,
    status: r.status,
    placedAt: r.created_at.toISOString(),
    deadlineAt: r.deadline_at.toISOString(),
    ageSeconds: Math.max(0, (r.now.getTime() - r.created_at.getTime()) / 1000),
    pastDeadline: r.deadline_at.getTime() < r.now.getTime(),
  }));
}
