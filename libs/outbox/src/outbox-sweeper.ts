import type { Pool } from 'pg';

/**
 * Deletes outbox rows older than the retention. Debezium read each insert from the WAL long
 * before; the publication does not publish deletes, so sweeping emits nothing (docs/adr/0004).
 */
export async function sweepOutbox(pool: Pool, retentionMs: number, batch = 5_000): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE created_at < now() - ($1::bigint * interval '1 millisecond') LIMIT $2)`,
    [retentionMs, batch],
  );
  return rowCount ?? 0;
}
