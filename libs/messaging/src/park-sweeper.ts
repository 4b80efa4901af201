import { withTransaction, repeatEvery } from '@choreo/platform';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { DeadLetterReason } from './dead-letter';
import * as store from './message-store';
import type { RawRecord } from './types';

interface ParkSweeperOptions {
  readonly pool: Pool;
  readonly consumer: string;
  readonly ttlMs: number;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly deadLetter: (record: RawRecord, reason: DeadLetterReason) => Promise<void>;
}

/**
 * Dead-letters events parked longer than the TTL. The DLQ write happens before the row is
 * removed (no network inside a transaction, and nothing lost if either step fails); a row
 * released in between leaves a harmless extra DLQ copy, which is logged.
 */
export async function sweepExpiredParked(opts: ParkSweeperOptions): Promise<number> {
  const { pool, consumer, logger } = opts;
  const { rows } = await pool.query<store.ParkedRow>(
    `SELECT * FROM parked_events WHERE consumer = $1 AND parked_at < now() - ($2::bigint * interval '1 millisecond')
     ORDER BY parked_at LIMIT 100`,
    [consumer, opts.ttlMs],
  );
  for (const row of rows) {
    await opts.deadLetter(store.toRecord(row), {
      code: 'PARK_TTL_EXPIRED',
      message: `parked since ${row.parked_at.toISOString()}: ${row.reason}`,
    });
    const removed = await withTransaction(pool, async (tx) => {
      await store.lockSaga(tx, consumer, row.park_key);
      const gone = await store.unpark(tx, consumer, row.event_id);
      if (gone) await store.settleInbox(tx, consumer, row.event_id, 'dead_lettered', `park TTL expired: ${row.reason}`);
      return gone;
    });
    if (!removed) logger.warn({ eventId: row.event_id }, 'parked event was released while being dead-lettered');
  }
  return rows.length;
}

export function startParkSweeper(opts: ParkSweeperOptions): () => Promise<void> {
  return repeatEvery(
    opts.intervalMs,
    () => sweepExpiredParked(opts),
    (error) => opts.logger.warn({ err: error }, 'park sweep failed; next tick retries'),
  );
}
