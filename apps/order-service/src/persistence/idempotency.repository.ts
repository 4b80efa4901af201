import type { PoolClient } from 'pg';

/**
 * Claims an Idempotency-Key. A concurrent claim of the same key waits on the unique index
 * until the first commits, then sees it: at most one order per key.
 */
export async function claimKey(tx: PoolClient, key: string, requestHash: string, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query({
    name: 'order.claim-key',
    text: `INSERT INTO idempotency_keys (key, request_hash, order_id) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
    values: [key, requestHash, orderId],
  });
  return rowCount === 1;
}

export async function findKey(tx: PoolClient, key: string): Promise<{ requestHash: string; orderId: string } | undefined> {
  const { rows } = await tx.query<{ request_hash: string; order_id: string }>({
    name: 'order.find-key',
    text: 'SELECT request_hash, order_id FROM idempotency_keys WHERE key = $1',
    values: [key],
  });
  return rows[0] && { requestHash: rows[0].request_hash, orderId: rows[0].order_id };
}
