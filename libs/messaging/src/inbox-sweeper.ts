import type { Pool } from 'pg';

/**
 * Deletes settled inbox rows older than the retention (parked rows always stay). Safe for
 * dedupe: a redelivery of a swept event still meets the per-aggregate sequence check
 * (`seq <= last` → ignored). Keep the retention longer than any redelivery you expect
 * (Kafka retention, Debezium replays after a restore).
 */
export async function sweepInbox(pool: Pool, consumer: string, retentionMs: number, batch = 5_000): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM inbox WHERE (consumer, event_id) IN (
       SELECT consumer, event_id FROM inbox
       WHERE consumer = $1 AND outcome <> 'parked' AND settled_at < now() - ($2::bigint * interval '1 millisecond')
       LIMIT $3)`,
    [consumer, retentionMs, batch],
  );
  return rowCount ?? 0;
}
