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

/** Sweeps on an interval until stopped; errors are reported and the next tick tries again. */
export function startOutboxSweeper(
  pool: Pool,
  opts: { retentionMs: number; intervalMs: number; onError: (error: unknown) => void },
): () => void {
  const timer = setInterval(() => {
    sweepOutbox(pool, opts.retentionMs).catch(opts.onError);
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
