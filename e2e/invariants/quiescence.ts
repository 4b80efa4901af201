import type { ClientView, ConsumedRecord, GroupLag } from '@choreo/testing';
import { waitFor } from '@choreo/testing';
import { runOrderIds, type DbReader, type RunScope } from './collect-snapshot';

export interface QuiescenceOptions {
  readonly dbs: DbReader;
  readonly scope: RunScope;
  readonly client: ClientView;
  /** What reached Kafka during the run (a TopicLog). */
  readonly log: { catchUp(timeoutMs?: number): Promise<void>; all(filter?: (r: ConsumedRecord) => boolean): ConsumedRecord[] };
  readonly lag: () => Promise<readonly GroupLag[]>;
  readonly timeoutMs: number;
}

export interface Quiescence {
  readonly quiet: boolean;
  /** How long it took (or the whole bound, when it never got quiet). */
  readonly ms: number;
  /** What was still moving at the last probe. */
  readonly pending: string;
}

/**
 * Waits, bounded, until the run is at rest: every order terminal, no consumer group lagging,
 * nothing parked, and every outbox row of the run on Kafka. It is a fixpoint: the outbox is
 * counted after the groups had no lag, all of it must be published, the groups must then have
 * no lag again and the outbox must not have grown meanwhile (consuming the last events could
 * have committed new ones). Never throws for a busy system: the checker reports what is left.
 */
export async function waitForQuiescence(o: QuiescenceOptions): Promise<Quiescence> {
  const started = Date.now();
  let pending = 'not probed yet';
  const probe = async (): Promise<boolean> => {
    const orderIds = await runOrderIds(o.dbs, o.scope, o.client);
    const sagaIds = [...orderIds, ...o.scope.skus];
    const [open] = await o.dbs.query(
      'order',
      `SELECT count(*)::int AS n FROM orders WHERE order_id = ANY($1) AND status NOT IN ('CONFIRMED', 'CANCELLED')`,
      [orderIds],
    );
    if (Number(open!['n']) > 0) return not(`${open!['n']} order(s) not terminal`);
    if (!(await noLag())) return false;
    if (!(await nothingParked(sagaIds))) return false;
    const before = await outboxIds(sagaIds);
    await o.log.catchUp(15_000);
    const seen = new Set(o.log.all((r) => !r.topic.endsWith('.dlq')).map((r) => r.headers['eventId']));
    const missing = [...before].filter((id) => !seen.has(id));
    if (missing.length > 0) return not(`${missing.length} outbox event(s) not yet on Kafka (e.g. ${missing[0]})`);
    if (!(await noLag())) return false;
    if (!(await nothingParked(sagaIds))) return false;
    const after = await outboxIds(sagaIds);
    if (after.size !== before.size) return not(`${after.size - before.size} new outbox event(s) while settling`);
    return true;
  };
  const not = (why: string) => ((pending = why), false);
  const noLag = async () => {
    const lagging = (await o.lag()).filter((l) => l.lag > 0);
    return lagging.length === 0 || not(`lag: ${lagging.map((l) => `${l.group} ${l.topic}[${l.partition}]=${l.lag}`).join(', ')}`);
  };
  const nothingParked = async (sagaIds: string[]) => {
    let n = 0;
    for (const db of ['order', 'inventory', 'payment'] as const) {
      const [row] = await o.dbs.query(db, 'SELECT count(*)::int AS n FROM parked_events WHERE park_key = ANY($1)', [sagaIds]);
      n += Number(row!['n']);
    }
    return n === 0 || not(`${n} event(s) parked`);
  };
  const outboxIds = async (sagaIds: string[]) => {
    const ids = new Set<string>();
    for (const db of ['order', 'inventory', 'payment'] as const) {
      for (const r of await o.dbs.query(db, 'SELECT id FROM outbox WHERE saga_id = ANY($1)', [sagaIds])) ids.add(String(r['id']));
    }
    return ids;
  };
  try {
    await waitFor(() => probe().catch((error: Error) => not(`probe failed: ${error.message}`)), {
      timeoutMs: o.timeoutMs,
      intervalMs: 500,
      description: 'the run to quiesce',
    });
    return { quiet: true, ms: Date.now() - started, pending: '' };
  } catch {
    return { quiet: false, ms: Date.now() - started, pending };
  }
}
