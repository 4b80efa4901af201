import type { PoolClient } from 'pg';
import { escapeLiteral } from '@choreo/platform';

/**
 * Claims an Idempotency-Key for a new order. A concurrent claim of the same key waits on the
 * unique index until the first commits, then sees it: at most one order per key. A statement
 * with literal values, so it travels with the transaction's BEGIN (`withFramedTransaction`);
 * the key is claimed when it inserted a row (`claimedBy`).
 */
export const claimKeySql = (key: string, requestHash: string, orderId: string): string =>
  `INSERT INTO idempotency_keys (key, request_hash, order_id) VALUES (${escapeLiteral(key)}, ${escapeLiteral(requestHash)}, ${escapeLiteral(orderId)})
   ON CONFLICT (key) DO NOTHING`;

export const claimedBy = (result: { readonly rowCount: number | null }): boolean => result.rowCount === 1;

export async function findKey(tx: PoolClient, key: string): Promise<{ requestHash: string; orderId: string } | undefined> {
  const { rows } = await tx.query<{ request_hash: string; order_id: string }>({
    name: 'order.find-key',
    text: 'SELECT request_hash, order_id FROM idempotency_keys WHERE key = $1',
    values: [key],
  });
  return rows[0] && { requestHash: rows[0].request_hash, orderId: rows[0].order_id };
}
