import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Envelope, EventType, PayloadOf } from '@choreo/contracts';
import { createMetricsRegistry } from '@choreo/platform';
import { loadStackConfig } from '@choreo/stack';
import {
  createTempDatabase,
  createTestTopics,
  deleteTopics,
  metricValue,
  testLogger,
  type TempDatabase,
  type TestTopic,
} from '@choreo/testing';
import { createConsumerRuntime, type ConsumerRuntime, type ConsumerRuntimeOptions } from '../src/consumer-runtime';
import { applied, type Handler, type HandlerMap } from '../src/types';
import type pg from 'pg';
import type { Registry } from 'prom-client';

export * from '@choreo/testing';
export { loadStackConfig };

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface EffectRow {
  event_id: string;
  event_type: string;
  aggregate_id: string;
  seq: string;
  saga_id: string;
}

export async function recordEffect(tx: pg.ClientBase, envelope: Envelope, by = ''): Promise<void> {
  await tx.query('INSERT INTO effects (event_id, event_type, aggregate_id, seq, saga_id, applied_by) VALUES ($1, $2, $3, $4, $5, $6)', [
    envelope.eventId,
    envelope.eventType,
    envelope.aggregateId,
    envelope.aggregateSeq,
    envelope.sagaId,
    by,
  ]);
}

/** A handler that applies every event by writing one `effects` row. */
export const effectHandler: Handler = async ({ tx, envelope }) => {
  await recordEffect(tx, envelope);
  return applied;
};

export const handleAll = (handler: Handler, types: readonly EventType[]): HandlerMap =>
  Object.fromEntries(types.map((t) => [t, handler])) as HandlerMap;

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export const payloads = {
  placed: (orderId: string): PayloadOf<'OrderPlaced'> => ({
    orderId,
    customerId: 'c-1',
    items: [{ sku: 'sku-1', quantity: 2, unitPriceCents: 250 }],
    totalCents: 500,
  }),
  confirmed: (orderId: string): PayloadOf<'OrderConfirmed'> => ({ orderId }),
  authorized: (orderId: string): PayloadOf<'PaymentAuthorized'> => ({ orderId, customerId: 'c-1', amountCents: 500 }),
};

export interface Harness {
  readonly name: string;
  readonly db: TempDatabase;
  /** Direct pool for assertions; the runtime may be using another one (through a proxy). */
  readonly pool: pg.Pool;
  readonly topics: readonly TestTopic[];
  readonly registry: Registry;
  readonly runtime: ConsumerRuntime;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Another started runtime of the same service: same group, database and topics, its own metrics. */
  addRuntime(): Promise<{ runtime: ConsumerRuntime; registry: Registry }>;
  effects(): Promise<EffectRow[]>;
  inbox(): Promise<{ event_id: string; outcome: string; reason: string | null }[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly handlers: HandlerMap;
  readonly topicCount?: number;
  readonly partitions?: number;
  /** False: the `.dlq` twins are not created (a test creates them later with `createTopics`). */
  readonly withDlq?: boolean;
  /** Builds the runtime's pool (e.g. through a Toxiproxy proxy); default a direct pool. */
  readonly runtimePool?: (db: TempDatabase) => pg.Pool;
  readonly runtime?: Partial<ConsumerRuntimeOptions>;
  /** Runs once the topics exist, before the runtime starts (records produced here wait for its first fetch). */
  readonly beforeStart?: (topics: readonly string[]) => Promise<void>;
}

/** A temp database, unique topics and a started runtime in its own consumer group. */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const name = uniqueId('it-consumer');
  const db = await createTempDatabase({ migrationsDir: MIGRATIONS_DIR });
  const topics = await createTestTopics({ count: opts.topicCount ?? 1, partitions: opts.partitions ?? 3, withDlq: opts.withDlq });
  const pool = db.pool({ max: 4 });
  const runtimes: ConsumerRuntime[] = [];
  const launch = async (registry: Registry) => {
    const runtime = createConsumerRuntime({
      name,
      brokers: [loadStackConfig().kafka.bootstrap],
      topics: topics.map((t) => t.topic),
      handlers: opts.handlers,
      pool: opts.runtimePool?.(db) ?? db.pool({ max: 8 }),
      logger: testLogger(name),
      registry,
      retry: { initialMs: 50, maxMs: 500, handlerAttempts: 3 },
      commitIntervalMs: 200,
      sessionTimeoutMs: 6_000,
      ...opts.runtime,
    });
    runtimes.push(runtime);
    await runtime.start();
    return runtime;
  };
  await opts.beforeStart?.(topics.map((t) => t.topic));
  const registry = createMetricsRegistry(name);
  const runtime = await launch(registry);
  return {
    name,
    db,
    pool,
    topics,
    registry,
    runtime,
    metric: (metric, labels = {}) => metricValue(registry, metric, labels),
    async addRuntime() {
      const extra = createMetricsRegistry(name);
      return { runtime: await launch(extra), registry: extra };
    },
    effects: async () =>
      (await pool.query<EffectRow>('SELECT event_id, event_type, aggregate_id, seq, saga_id FROM effects ORDER BY id')).rows,
    inbox: async () => (await pool.query('SELECT event_id, outcome, reason FROM inbox ORDER BY received_at')).rows,
    async close() {
      await Promise.all(runtimes.map((r) => r.stop().catch(() => undefined)));
      await db.drop();
      await deleteTopics(topics).catch(() => undefined);
    },
  };
}
