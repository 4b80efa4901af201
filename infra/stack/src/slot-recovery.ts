import { randomUUID } from 'node:crypto';
import { cdcHealth, type CdcHealth } from './cdc-health';
import { connectRest, putConnector, stopConnector, waitConnectorRunning } from './connectors';
import { auditOutbox, notYetPublished, serviceSuperUrl, type LostRange, type OutboxAudit } from './outbox-audit';
import { withPg } from './pg-client';
import { SERVICES, type ServiceEndpoints, type StackConfig } from './stack-config';
import { log } from './stack-log';
import { waitFor } from './wait';

/**
 * A transaction that began before the connector stopped can commit after it; its rows carry the
 * earlier `created_at`. Re-publishing reaches back this far before the first unpublished row.
 */
const IN_FLIGHT_MARGIN_MS = 60_000;

export interface RecoveryReport {
  readonly service: string;
  readonly recovered: boolean;
  readonly before: CdcHealth;
  readonly audit?: OutboxAudit;
  /** Rows the ad-hoc snapshot re-published (everything committed since `republishedFrom`). */
  readonly republishedFrom?: Date;
  readonly republishedRows?: number;
  readonly lost: readonly LostRange[];
  readonly tookMs: number;
}

/**
 * True when the service's events cannot reach Kafka until the slot is recreated: the slot is gone
 * although the connector had streamed (a fresh connector has no offsets and creates its slot), or
 * PostgreSQL invalidated it, or the task failed because the WAL it needs is gone.
 */
export function needsRecovery(h: CdcHealth): boolean {
  const failedOnLostWal =
    h.connector?.tasks.some((t) => t.state === 'FAILED' && /no longer available|replication slot/i.test(t.error ?? '')) ?? false;
  return (!h.slot && h.hasOffsets) || h.slot?.walStatus === 'lost' || failedOnLostWal;
}

/**
 * Recreates a service's replication slot and re-publishes, from its outbox table, every row the
 * topics may not have (consumers' inboxes drop the duplicates):
 *
 *  1. stop the connector, drop what is left of the slot, reset the connector's offsets;
 *  2. audit: every outbox row is looked up on the topics; seqs neither there nor in the outbox
 *     (swept before they were published) are reported as lost, with their sagas;
 *  3. resume: Debezium creates a new slot and streams from now on;
 *  4. a blocking snapshot of the outbox (a row in `debezium_signal`) re-publishes every row
 *     committed since the first unpublished one (or since the stop), and the command waits
 *     until each of them is on its topic.
 */
export async function recoverSlot(cfg: StackConfig, svc: ServiceEndpoints, opts: { force?: boolean } = {}): Promise<RecoveryReport> {
  const t0 = Date.now();
  const before = await cdcHealth(cfg, svc);
  if (!needsRecovery(before) && !opts.force) {
    return { service: svc.name, recovered: false, before, lost: [], tookMs: Date.now() - t0 };
  }
  if (!before.connector) throw new Error(`connector ${svc.connector.name} is not registered: run \`npm run stack:up\` first`);
  const name = svc.connector.name;

  const stoppedAt = await dbNow(cfg, svc);
  await stopConnector(cfg, svc);
  await dropSlot(cfg, svc);
  const reset = await connectRest(cfg, 'DELETE', `/connectors/${name}/offsets`);
  if (reset.status >= 300) throw new Error(`resetting ${name}'s offsets → ${reset.status}: ${reset.text}`);
  log(`${name}: stopped, slot ${svc.connector.slot} dropped, offsets reset; auditing the outbox against the topics …`);

  const audit = await auditOutbox(cfg, svc);
  log(`${name}: ${audit.outboxRows} outbox rows, ${audit.unpublished.count} not on the topics, ${audit.lost.length} lost range(s)`);

  await connectRest(cfg, 'PUT', `/connectors/${name}/resume`);
  await waitConnectorRunning(cfg, svc);
  const resumedAt = await dbNow(cfg, svc);

  const firstMissing = audit.unpublished.oldestAt ?? stoppedAt;
  const from = new Date(Math.min(firstMissing.getTime(), stoppedAt.getTime()) - IN_FLIGHT_MARGIN_MS);
  await requestSnapshot(cfg, svc, from);
  let missing: string[] = [];
  await waitFor(
    async () => {
      missing = await notYetPublished(cfg, svc, audit, from, resumedAt);
      return missing.length === 0;
    },
    { timeoutMs: 180_000, intervalMs: 1_000, what: `${name} to re-publish the outbox rows since ${from.toISOString()}` },
  ).catch((e: Error) => {
    throw new Error(`${e.message}; still missing ${missing.length} event(s), e.g. ${missing.slice(0, 5).join(', ')}`);
  });
  const republishedRows = await withPg(serviceSuperUrl(cfg, svc), async (c) =>
    Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE created_at >= $1', [from])).rows[0]?.n ?? 0),
  );
  return {
    service: svc.name,
    recovered: true,
    before,
    audit,
    republishedFrom: from,
    republishedRows,
    lost: audit.lost,
    tookMs: Date.now() - t0,
  };
}

/** A human-readable account of a recovery, ending with every lost range and its sagas. */
export function describeRecovery(r: RecoveryReport): string[] {
  if (!r.recovered) return [`${r.service}: slot and connector healthy, nothing to recover (use --force to re-publish anyway)`];
  const lines = [
    `${r.service}: slot recreated and outbox re-published in ${(r.tookMs / 1000).toFixed(1)} s`,
    `  before: ${r.before.problems.join('; ') || 'no problem reported'}`,
    `  outbox: ${r.audit?.outboxRows ?? 0} rows since ${r.audit?.oldestRowAt?.toISOString() ?? '-'}; ${r.audit?.unpublished.count ?? 0} were not on ${r.audit?.topics.join(', ')}`,
    `  re-published: ${r.republishedRows ?? 0} rows committed since ${r.republishedFrom?.toISOString()} (consumers drop the ones they already have)`,
  ];
  if (r.lost.length === 0) lines.push('  lost: none — every event the service committed is on its topic');
  else {
    const events = r.lost.reduce((n, l) => n + l.toSeq - l.fromSeq + 1, 0);
    lines.push(`  LOST: ${events} event(s) in ${r.lost.length} range(s) were swept from the outbox before they reached Kafka:`);
    for (const l of r.lost) {
      lines.push(`    ${l.aggregateType} ${l.aggregateId} seq ${l.fromSeq}..${l.toSeq} (saga ${l.sagaIds.join(', ') || 'unknown'})`);
    }
  }
  return lines;
}

async function dbNow(cfg: StackConfig, svc: ServiceEndpoints): Promise<Date> {
  return withPg(serviceSuperUrl(cfg, svc), async (c) => (await c.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now);
}

/** Ends whatever still holds the slot, then drops it (an invalidated slot can never stream again). */
export async function dropSlot(cfg: StackConfig, svc: ServiceEndpoints): Promise<void> {
  await withPg(cfg.pg.superUrl, async (c) => {
    await c.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [
      svc.connector.slot,
    ]);
    await waitFor(
      async () => {
        const { rows } = await c.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [
          svc.connector.slot,
        ]);
        return rows.length === 0 || !rows[0]!.active;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `slot ${svc.connector.slot} released` },
    );
    await c.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [svc.connector.slot]);
  });
}

/** Asks the connector, through its signal table, for a blocking snapshot of the outbox since `from`. */
async function requestSnapshot(cfg: StackConfig, svc: ServiceEndpoints, from: Date): Promise<void> {
  const select = `SELECT * FROM public.outbox WHERE created_at >= '${from.toISOString()}' ORDER BY created_at, aggregate_seq`;
  const data = {
    type: 'blocking',
    'data-collections': ['public.outbox'],
    'additional-conditions': [{ 'data-collection': 'public.outbox', filter: select }],
  };
  await withPg(serviceSuperUrl(cfg, svc), (c) =>
    c.query(`INSERT INTO public.debezium_signal (id, type, data) VALUES ($1, 'execute-snapshot', $2)`, [
      `recover-${randomUUID()}`,
      JSON.stringify(data),
    ]),
  );
  log(`${svc.connector.name}: snapshot of the outbox since ${from.toISOString()} requested`);
}

/**
 * `stack:up`'s connector step: every connector's config is put, a connector whose slot was lost
 * is recovered on the spot (it is safe: nothing is dropped, and anything already lost is
 * reported), then every task must stream.
 */
export async function connectorsUp(cfg: StackConfig): Promise<void> {
  const services = SERVICES.map((s) => cfg.services[s]);
  for (const svc of services) await putConnector(cfg, svc);
  for (const svc of services) {
    const health = await cdcHealth(cfg, svc);
    if (!needsRecovery(health)) continue;
    log(`${svc.connector.name}: ${health.problems.join('; ')} — recovering`);
    for (const line of describeRecovery(await recoverSlot(cfg, svc))) log(line);
  }
  for (const svc of services) await waitConnectorRunning(cfg, svc);
}
