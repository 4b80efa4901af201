import type { Pool } from 'pg';
import { scrapedGauges } from '@choreo/platform';
import type { Registry } from 'prom-client';
import { readSlotState } from './slot-state';

/** `pg_replication_slots.wal_status`; `missing` when the slot does not exist. */
export const SLOT_STATES = ['reserved', 'extended', 'unreserved', 'lost', 'missing'] as const;
export type SlotStatus = (typeof SLOT_STATES)[number];

/** The series a service exports about its outbox's way to Kafka; the alert rules read these. */
export const CDC_METRICS = {
  slotStatus: 'choreo_cdc_slot_status',
  slotActive: 'choreo_cdc_slot_active',
  slotLagBytes: 'choreo_cdc_slot_lag_bytes',
  slotSafeWalSizeBytes: 'choreo_cdc_slot_safe_wal_size_bytes',
  connectorTasks: 'choreo_cdc_connector_tasks',
  uncapturedRows: 'choreo_outbox_uncaptured_rows',
  oldestUncapturedAge: 'choreo_outbox_oldest_uncaptured_age_seconds',
} as const;

/** The Connect task states, plus `missing` when Connect does not know the connector. */
export const TASK_STATES = ['RUNNING', 'PAUSED', 'STOPPED', 'UNASSIGNED', 'FAILED', 'RESTARTING', 'missing'] as const;

/** How the service's outbox reaches Kafka right now: its replication slot and, when known, its connector. */
export interface PublicationState {
  readonly slot: string;
  readonly status: SlotStatus;
  readonly active: boolean;
  /** WAL written since the slot's confirmed position; null without a slot. */
  readonly lagBytes: number | null;
  /** Bytes left before `max_slot_wal_keep_size` invalidates the slot; null when unlimited. */
  readonly safeWalSizeBytes: number | null;
  /** Outbox rows written after the slot's confirmed position (all of them without a slot), and the oldest one's age. */
  readonly uncaptured: { readonly rows: number; readonly oldestAgeSeconds: number };
  readonly connector?: { readonly name: string; readonly state: string; readonly tasks: readonly string[]; readonly error?: string };
  /** Why events are not reaching Kafka, in words an operator can act on; empty when they are. */
  readonly problems: readonly string[];
}

export interface PublicationMonitorOptions {
  readonly pool: Pool;
  readonly registry: Registry;
  /** The Debezium connector's `slot.name` in this service's database. */
  readonly slot: string;
  /** Connect's REST API and the connector's name, to report its task; optional. */
  readonly connect?: { readonly url: string; readonly connector: string };
}

export interface PublicationMonitor {
  /** Reads the slot (and the connector) now. */
  read(): Promise<PublicationState>;
  /**
   * Whether outbox rows may be swept: only while a connector streams from a slot that keeps its
   * WAL. While it does not, the outbox is the one copy a recovery can re-publish from.
   */
  sweepAllowed(): Promise<boolean>;
}

/**
 * Watches the replication slot that carries the service's outbox to Kafka. Every scrape of
 * /metrics and every readiness probe reads `pg_replication_slots` (one row, readable by any role)
 * and, when configured, the connector's status from Connect.
 */
export function createPublicationMonitor(opts: PublicationMonitorOptions): PublicationMonitor {
  const { pool, registry, slot } = opts;
  const read = async (): Promise<PublicationState> => {
    const [slotState, uncaptured, connector] = await Promise.all([
      readSlot(pool, slot),
      readUncaptured(pool, slot),
      opts.connect ? readConnector(opts.connect) : undefined,
    ]);
    const problems: string[] = [];
    if (slotState.status === 'missing') problems.push(`replication slot ${slot} is missing`);
    if (slotState.status === 'lost') problems.push(`replication slot ${slot} was invalidated (wal_status lost)`);
    if (slotState.status === 'unreserved') problems.push(`replication slot ${slot} is about to lose WAL (wal_status unreserved)`);
    if (connector?.state === 'missing') problems.push(`connector ${connector.name} is not registered`);
    if (connector?.state === 'unreachable') problems.push(`Kafka Connect does not answer at ${opts.connect?.url}`);
    if (connector?.tasks.includes('FAILED')) problems.push(`connector ${connector.name} task FAILED: ${connector.error ?? ''}`);
    return { slot, ...slotState, uncaptured, ...(connector ? { connector } : {}), problems };
  };

  const { shared, gauge } = scrapedGauges(registry, read);
  gauge(
    CDC_METRICS.slotStatus,
    'Replication slot of the outbox, by wal_status (1 = current); missing when it does not exist',
    ['slot', 'status'],
    (g, s) => {
      for (const status of SLOT_STATES) g.set({ slot, status }, s.status === status ? 1 : 0);
    },
  );
  gauge(CDC_METRICS.slotActive, '1 while a connector streams from the slot', ['slot'], (g, s) => g.set({ slot }, s.active ? 1 : 0));
  gauge(CDC_METRICS.slotLagBytes, "WAL written since the slot's confirmed position", ['slot'], (g, s) => {
    if (s.lagBytes !== null) g.set({ slot }, s.lagBytes);
  });
  gauge(
    CDC_METRICS.slotSafeWalSizeBytes,
    'WAL that can still be written before the slot is invalidated (absent when unlimited)',
    ['slot'],
    (g, s) => {
      if (s.safeWalSizeBytes !== null) g.set({ slot }, s.safeWalSizeBytes);
    },
  );
  gauge(
    CDC_METRICS.uncapturedRows,
    "Outbox rows written after the slot's confirmed position: not yet captured by the connector",
    ['slot'],
    (g, s) => g.set({ slot }, s.uncaptured.rows),
  );
  gauge(CDC_METRICS.oldestUncapturedAge, 'Age of the oldest outbox row not yet captured (0 when none)', ['slot'], (g, s) =>
    g.set({ slot }, s.uncaptured.oldestAgeSeconds),
  );
  if (opts.connect) {
    const connector = opts.connect.connector;
    gauge(CDC_METRICS.connectorTasks, "The outbox connector's tasks by state", ['connector', 'state'], (g, s) => {
      for (const state of TASK_STATES) g.set({ connector, state }, s.connector?.tasks.filter((t) => t === state).length ?? 0);
      if (s.connector?.state === 'missing') g.set({ connector, state: 'missing' }, 1);
    });
  }

  return {
    read: shared,
    async sweepAllowed() {
      const s = await shared();
      return s.active && (s.status === 'reserved' || s.status === 'extended') && !s.connector?.tasks.includes('FAILED');
    },
  };
}

async function readSlot(pool: Pool, slot: string): Promise<Pick<PublicationState, 'status' | 'active' | 'lagBytes' | 'safeWalSizeBytes'>> {
  const r = await readSlotState(pool, slot);
  if (!r) return { status: 'missing', active: false, lagBytes: null, safeWalSizeBytes: null };
  return { status: r.walStatus ?? 'lost', active: r.active, lagBytes: r.lagBytes, safeWalSizeBytes: r.safeWalSizeBytes };
}

async function readUncaptured(pool: Pool, slot: string): Promise<PublicationState['uncaptured']> {
  const { rows } = await pool.query<{ rows: number; age: number | null }>({
    name: 'choreo_outbox_uncaptured',
    text: `SELECT count(*)::int AS rows, extract(epoch FROM now() - min(created_at))::float8 AS age
             FROM outbox
            WHERE wal_position > coalesce(
                    (SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1), -1)`,
    values: [slot],
  });
  return { rows: rows[0]?.rows ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0 };
}

async function readConnector(c: { url: string; connector: string }): Promise<NonNullable<PublicationState['connector']>> {
  const res = await fetch(`${c.url}/connectors/${encodeURIComponent(c.connector)}/status`, { signal: AbortSignal.timeout(2_000) }).catch(
    () => undefined,
  );
  if (!res) return { name: c.connector, state: 'unreachable', tasks: [] };
  if (res.status === 404) return { name: c.connector, state: 'missing', tasks: [] };
  if (!res.ok) throw new Error(`Connect answered ${res.status} for ${c.connector}'s status`);
  const body = (await res.json()) as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
  const trace = body.tasks.find((t) => t.trace)?.trace;
  const error = trace === undefined ? undefined : connectorError(trace);
  return { name: c.connector, state: body.connector.state, tasks: body.tasks.map((t) => t.state), ...(error ? { error } : {}) };
}

/** The exception line of a Connect task's trace, Debezium's offset dump cut out, at most 300 characters. */
export function connectorError(trace: string): string {
  const line = (trace.split('\n').find((l) => /Exception|Error/.test(l)) ?? trace.split('\n')[0] ?? '').trim();
  const short = line.replace(/PostgresOffsetContext \[.*\]\]/, 'its last offset');
  return short.length > 300 ? `${short.slice(0, 297)}...` : short;
}
