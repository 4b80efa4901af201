import type { Pool } from 'pg';

/** `pg_replication_slots.wal_status`: `lost` means the slot can never stream again. */
export type WalStatus = 'reserved' | 'extended' | 'unreserved' | 'lost';

/** One replication slot as PostgreSQL sees it. */
export interface SlotReading {
  readonly active: boolean;
  /** Null once PostgreSQL has invalidated the slot on some versions; read it as `lost`. */
  readonly walStatus: WalStatus | null;
  /** WAL written since the slot's confirmed position (what a restarted connector must read). */
  readonly lagBytes: number | null;
  /** Bytes left before `max_slot_wal_keep_size` invalidates the slot; null when unlimited. */
  readonly safeWalSizeBytes: number | null;
}

/**
 * Reads one replication slot (`pg_replication_slots` is readable by any role); undefined when it
 * does not exist. The services' publication monitor and the stack's status both read it here.
 */
export async function readSlotState(db: Pick<Pool, 'query'>, slot: string): Promise<SlotReading | undefined> {
  const { rows } = await db.query<{ active: boolean; wal_status: WalStatus | null; lag: string | null; safe: string | null }>({
    name: 'choreo_cdc_slot',
    text: `SELECT active, wal_status, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag, safe_wal_size AS safe
             FROM pg_replication_slots WHERE slot_name = $1`,
    values: [slot],
  });
  const r = rows[0];
  if (!r) return undefined;
  const num = (v: string | null) => (v === null ? null : Number(v));
  return { active: r.active, walStatus: r.wal_status, lagBytes: num(r.lag), safeWalSizeBytes: num(r.safe) };
}
