import { connectorError } from '@choreo/outbox';
import { withPg } from './pg-client';
import { connectorStatus, connectRest } from './connectors';
import type { ServiceEndpoints, StackConfig } from './stack-config';

/** `pg_replication_slots.wal_status`: `lost` means the slot can never stream again. */
export type WalStatus = 'reserved' | 'extended' | 'unreserved' | 'lost';

export interface SlotState {
  readonly name: string;
  readonly active: boolean;
  readonly walStatus: WalStatus | null;
  /** WAL written since the slot's confirmed position (what a restarted connector must read). */
  readonly lagBytes: number | null;
  /** Bytes left before `max_slot_wal_keep_size` invalidates the slot; null when unlimited. */
  readonly safeWalSizeBytes: number | null;
}

export interface CdcHealth {
  readonly service: string;
  readonly slot: SlotState | undefined;
  readonly connector:
    { readonly state: string; readonly tasks: readonly { readonly state: string; readonly error?: string }[] } | undefined;
  /** Whether Connect holds a source offset for the connector (a fresh one has none and no slot yet). */
  readonly hasOffsets: boolean;
  /** Why the service's events are not reaching Kafka, or empty when they are. */
  readonly problems: readonly string[];
}

/** The slot of one service's database as PostgreSQL sees it; undefined when it does not exist. */
export async function readSlot(cfg: StackConfig, svc: ServiceEndpoints): Promise<SlotState | undefined> {
  return withPg(cfg.pg.superUrl, async (c) => {
    const { rows } = await c.query<{ active: boolean; wal_status: WalStatus | null; lag: string | null; safe: string | null }>(
      `SELECT active, wal_status,
              pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag,
              safe_wal_size AS safe
         FROM pg_replication_slots WHERE slot_name = $1`,
      [svc.connector.slot],
    );
    const r = rows[0];
    if (!r) return undefined;
    const num = (v: string | null) => (v === null ? null : Number(v));
    return { name: svc.connector.slot, active: r.active, walStatus: r.wal_status, lagBytes: num(r.lag), safeWalSizeBytes: num(r.safe) };
  });
}

/** Slot and connector of one service, and what is wrong with them in words an operator can act on. */
export async function cdcHealth(cfg: StackConfig, svc: ServiceEndpoints): Promise<CdcHealth> {
  const [slot, status, offsets] = await Promise.all([
    readSlot(cfg, svc),
    connectorStatus(cfg, svc.connector.name).catch(() => undefined),
    connectRest(cfg, 'GET', `/connectors/${svc.connector.name}/offsets`).catch(() => undefined),
  ]);
  const hasOffsets = offsets?.status === 200 && ((offsets.json as { offsets?: unknown[] }).offsets?.length ?? 0) > 0;
  const connector = status && {
    state: status.connector.state,
    tasks: status.tasks.map((t) => ({ state: t.state, ...(t.trace ? { error: connectorError(t.trace) } : {}) })),
  };
  const problems: string[] = [];
  const recover = `npm run stack:recover -- ${svc.name}`;
  if (!slot && hasOffsets) problems.push(`replication slot ${svc.connector.slot} is missing: run \`${recover}\``);
  else if (slot?.walStatus === 'lost')
    problems.push(`replication slot ${svc.connector.slot} was invalidated (wal_status lost): run \`${recover}\``);
  else if (slot?.walStatus === 'unreserved')
    problems.push(`replication slot ${svc.connector.slot} is about to lose WAL (wal_status unreserved)`);
  if (!connector) problems.push(`connector ${svc.connector.name} is not registered: run \`npm run stack:up\``);
  else {
    for (const t of connector.tasks.filter((t) => t.state === 'FAILED'))
      problems.push(`connector ${svc.connector.name} task FAILED: ${t.error ?? ''}`);
    if (connector.tasks.length === 0 && connector.state === 'RUNNING') problems.push(`connector ${svc.connector.name} has no task`);
  }
  return { service: svc.name, slot, connector, hasOffsets, problems };
}

/** One line for `stack:status`: slot state, lag and the connector's tasks. */
export function describeCdc(h: CdcHealth): string {
  const slot = h.slot
    ? `slot ${h.slot.name} ${h.slot.active ? 'active' : 'inactive'} wal_status ${h.slot.walStatus ?? '?'} lag ${h.slot.lagBytes ?? '?'} B`
    : 'slot MISSING';
  const connector = h.connector
    ? `connector ${h.connector.state}, tasks ${h.connector.tasks.map((t) => t.state).join(',') || 'none'}`
    : 'not registered';
  return [connector, slot, ...h.problems].join('; ');
}
