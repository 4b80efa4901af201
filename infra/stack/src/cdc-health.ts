import { connectorError, readSlotState, type SlotReading } from '@choreo/outbox';
import { withPg } from './pg-client';
import { connectorStatus, connectRest } from './connectors';
import type { ServiceEndpoints, StackConfig } from './stack-config';

export type { WalStatus } from '@choreo/outbox';

export interface SlotState extends SlotReading {
  readonly name: string;
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
  const slot = await withPg(cfg.pg.superUrl, (c) => readSlotState(c, svc.connector.slot));
  return slot && { name: svc.connector.slot, ...slot };
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
