import { SERVICES, type ServiceName } from '@choreo/stack';
import type { ServiceDbs } from '@choreo/testing';
import { percentiles, type Percentiles } from './stats';

/** One saga as order-service recorded it: its status and its timeline (server timestamps). */
export interface SagaReading {
  readonly orderId: string;
  readonly status: string;
  readonly cancellationReason?: string;
  readonly placedAt: number;
  readonly reservedAt?: number;
  readonly paidAt?: number;
  /** Confirmed or cancelled; undefined while the saga is open. */
  readonly endedAt?: number;
}

const TERMINAL = new Set(['CONFIRMED', 'CANCELLED']);
export const isTerminal = (s: SagaReading) => TERMINAL.has(s.status);

/** How many of these sagas were cancelled, by cancellation reason (UNKNOWN where none was recorded). */
export function cancellationsByReason(sagas: readonly SagaReading[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sagas) {
    if (s.status !== 'CANCELLED') continue;
    const reason = s.cancellationReason ?? 'UNKNOWN';
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : undefined);

export async function readSagas(dbs: ServiceDbs, orderIds: readonly string[]): Promise<SagaReading[]> {
  const rows = await dbs.query<{
    order_id: string;
    status: string;
    state: { timeline: Record<string, string>; cancellationReason?: string };
  }>('order', 'SELECT order_id, status, state FROM orders WHERE order_id = ANY($1)', [orderIds]);
  return rows.map((r) => {
    const t = r.state.timeline;
    return {
      orderId: r.order_id,
      status: r.status,
      ...(r.state.cancellationReason ? { cancellationReason: r.state.cancellationReason } : {}),
      placedAt: ms(t['placedAt'])!,
      reservedAt: ms(t['reservedAt']),
      paidAt: ms(t['paidAt']),
      endedAt: ms(t['confirmedAt']) ?? ms(t['cancelledAt']),
    };
  });
}

/** Saga latency: the last timeline entry minus PLACED, both written by order-service. */
export const sagaLatencies = (sagas: readonly SagaReading[]) =>
  sagas.filter((s) => s.endedAt !== undefined).map((s) => s.endedAt! - s.placedAt);

export interface SagaSteps {
  /** PLACED → RESERVED, RESERVED → PAID, PAID → CONFIRMED (ms). */
  readonly reserved: Percentiles;
  readonly paid: Percentiles;
  readonly confirmed: Percentiles;
}

export function sagaSteps(sagas: readonly SagaReading[]): SagaSteps {
  const ok = sagas.filter((s) => s.status === 'CONFIRMED' && s.reservedAt !== undefined && s.paidAt !== undefined);
  return {
    reserved: percentiles(ok.map((s) => s.reservedAt! - s.placedAt)),
    paid: percentiles(ok.map((s) => s.paidAt! - s.reservedAt!)),
    confirmed: percentiles(ok.map((s) => s.endedAt! - s.paidAt!)),
  };
}

/**
 * Where an event's time goes between two services, from timestamps the system records itself:
 * - `cdc`: outbox row written (envelope `occurredAt`) → appended to Kafka (record timestamp);
 * - `delivery`: Kafka append → the consumer fetched it (inbox `received_at`);
 * - `handling`: fetched → the consumer's transaction settled it (inbox `settled_at`, just before commit);
 * - `total`: outbox row written → settled by the consumer.
 */
export interface Hop {
  readonly from: ServiceName;
  readonly to: ServiceName;
  readonly eventType: string;
  readonly cdc: Percentiles;
  readonly delivery: Percentiles;
  readonly handling: Percentiles;
  readonly total: Percentiles;
}

interface OutboxRow {
  readonly id: string;
  readonly occurred_at: Date;
}
interface InboxRow {
  readonly event_id: string;
  readonly event_type: string;
  readonly source_timestamp: Date | null;
  readonly received_at: Date;
  readonly settled_at: Date | null;
}

export async function readHops(dbs: ServiceDbs, sagaIds: readonly string[]): Promise<Hop[]> {
  const origin = new Map<string, { from: ServiceName; at: number }>();
  const inboxes: { to: ServiceName; row: InboxRow }[] = [];
  for (const service of SERVICES) {
    for (const r of await dbs.query<OutboxRow>(service, 'SELECT id, occurred_at FROM outbox WHERE saga_id = ANY($1)', [sagaIds])) {
      origin.set(r.id, { from: service, at: r.occurred_at.getTime() });
    }
    const rows = await dbs.query<InboxRow>(
      service,
      `SELECT event_id, event_type, source_timestamp, received_at, settled_at FROM inbox
        WHERE saga_id = ANY($1) AND outcome IN ('applied', 'ignored')`,
      [sagaIds],
    );
    for (const row of rows) inboxes.push({ to: service, row });
  }
  const groups = new Map<
    string,
    { from: ServiceName; to: ServiceName; eventType: string; cdc: number[]; delivery: number[]; handling: number[]; total: number[] }
  >();
  for (const { to, row } of inboxes) {
    const src = origin.get(row.event_id);
    if (!src || !row.settled_at) continue;
    const key = `${src.from}>${to}>${row.event_type}`;
    const g = groups.get(key) ?? { from: src.from, to, eventType: row.event_type, cdc: [], delivery: [], handling: [], total: [] };
    const kafkaAt = row.source_timestamp?.getTime();
    if (kafkaAt !== undefined) {
      g.cdc.push(kafkaAt - src.at);
      g.delivery.push(row.received_at.getTime() - kafkaAt);
    }
    g.handling.push(row.settled_at.getTime() - row.received_at.getTime());
    g.total.push(row.settled_at.getTime() - src.at);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      from: g.from,
      to: g.to,
      eventType: g.eventType,
      cdc: percentiles(g.cdc),
      delivery: percentiles(g.delivery),
      handling: percentiles(g.handling),
      total: percentiles(g.total),
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.eventType.localeCompare(b.eventType) || a.to.localeCompare(b.to));
}

/** Transactions each saga cost in the services' databases: consumed events settled plus the POST. */
export async function transactionsPerSaga(dbs: ServiceDbs, sagaIds: readonly string[]): Promise<number> {
  let settled = 0;
  for (const service of SERVICES) {
    settled += await dbs.count(service, 'inbox', "saga_id = ANY($1) AND outcome IN ('applied', 'ignored')", [sagaIds]);
  }
  return sagaIds.length === 0 ? 0 : settled / sagaIds.length + 1;
}
