import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { guardPool } from '@choreo/platform';
import { deadLetter, type DeadLetterReason } from './dead-letter';
import { createConsumerClients } from './kafka-client';
import { createMessagingMetrics } from './messaging.metrics';
import { OffsetTracker } from './offset-tracker';
import { startParkSweeper } from './park-sweeper';
import { observeConsumer } from './consumer-observer';
import { PartitionRetries } from './partition-retries';
import { createPartitionWorker, headerIds } from './partition-worker';
import { releaseParkedOf, type BatchPrefetch, type PipelineDeps } from './process-record';
import { createAttempt } from './record-attempt';
import { ShutdownBudget } from './shutdown-budget';
import type { HandlerMap, RawRecord } from './types';

export interface ConsumerRuntimeOptions {
  /** Consumer group id, inbox `consumer` column, and metric label. One per service. */
  readonly name: string;
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly handlers: HandlerMap;
  /** Reads what a batch's handlers will load in one round trip (see `BatchPrefetch`). */
  readonly prefetch?: BatchPrefetch;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly registry: Registry;
  /**
   * Partitions in flight at the same time (each one strictly in order). Their batches share
   * transactions (group commit), so this is how many partitions' records one transaction can take.
   */
  readonly partitionsConcurrently?: number;
  /** Batch transactions in flight at the same time; batches handed in meanwhile wait and go together in the next. */
  readonly transactionsConcurrently?: number;
  /** Most records settled in one transaction. 1 gives a transaction per record. */
  readonly maxBatchSize?: number;
  /** Backoff between attempts (full jitter, capped) and how many non-transient handler failures before the DLQ. */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number; readonly handlerAttempts?: number };
  readonly parkTtlMs?: number;
  readonly parkSweepIntervalMs?: number;
  /** How often settled offsets are committed; a crash redelivers at most this much (the inbox absorbs it). */
  readonly commitIntervalMs?: number;
  /** How soon the group notices a member that died without leaving; its partitions move then (broker minimum 6 s). */
  readonly sessionTimeoutMs?: number;
  /** The whole of `stop()`: in-flight records, the final commit and leaving the group share this budget. */
  readonly shutdownTimeoutMs?: number;
}

/** Every default of the runtime, in one place. */
export const CONSUMER_DEFAULTS = {
  partitionsConcurrently: 32,
  transactionsConcurrently: 1,
  maxBatchSize: 100,
  retry: { initialMs: 100, maxMs: 5_000, handlerAttempts: 5 },
  parkTtlMs: 5 * 60_000,
  parkSweepIntervalMs: 5_000,
  commitIntervalMs: 1_000,
  sessionTimeoutMs: 10_000,
  shutdownTimeoutMs: 10_000,
} as const;

export interface ConsumerRuntime {
  start(): Promise<void>;
  /** Stops fetching, finishes the in-flight batches, commits their offsets, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** True once the group has been joined and the consumer has not crashed or stopped since. */
  isReady(): boolean;
  /** Re-tries a saga's parked events after a state change made outside the consumer. */
  releaseParked(sagaId: string): Promise<number>;
}

export function createConsumerRuntime(opts: ConsumerRuntimeOptions): ConsumerRuntime {
  const { name, pool } = opts;
  const d = CONSUMER_DEFAULTS;
  const settings = {
    partitionsConcurrently: opts.partitionsConcurrently ?? d.partitionsConcurrently,
    transactionsConcurrently: opts.transactionsConcurrently ?? d.transactionsConcurrently,
    maxBatchSize: opts.maxBatchSize ?? d.maxBatchSize,
    retry: { ...d.retry, ...opts.retry },
    parkTtlMs: opts.parkTtlMs ?? d.parkTtlMs,
    parkSweepIntervalMs: opts.parkSweepIntervalMs ?? d.parkSweepIntervalMs,
    commitIntervalMs: opts.commitIntervalMs ?? d.commitIntervalMs,
    sessionTimeoutMs: opts.sessionTimeoutMs ?? d.sessionTimeoutMs,
    shutdownTimeoutMs: opts.shutdownTimeoutMs ?? d.shutdownTimeoutMs,
  };
  const logger = opts.logger.child({ component: 'consumer', consumer: name });
  const metrics = createMessagingMetrics(opts.registry);
  const deps: PipelineDeps = {
    consumer: name,
    handlers: opts.handlers,
    logger,
    metrics,
    ...(opts.prefetch ? { prefetch: opts.prefetch } : {}),
  };
  const { consumer, producer } = createConsumerClients(opts.name, opts.brokers, settings.sessionTimeoutMs, logger);
  guardPool(pool, logger);
  const observer = observeConsumer({ consumer: name, topics: opts.topics, brokers: opts.brokers, pool, registry: opts.registry, logger });
  const offsets = new OffsetTracker(consumer, logger);
  const retries = new PartitionRetries(consumer);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let ready = false;
  let commitTimer: NodeJS.Timeout | undefined;
  let stopSweeper: (() => Promise<void>) | undefined;

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    ready = !stopping.signal.aborted;
    offsets.retain(payload.memberAssignment);
    logger.info({ assignment: payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.REBALANCING, () => void offsets.flush());
  consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => offsets.confirmed(payload.topics));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    ready = false;
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

  const sendToDlq = async (record: RawRecord, reason: DeadLetterReason) => {
    const topic = await deadLetter(producer, name, record, reason);
    metrics.deadLettered.inc({ consumer: name, topic: record.topic, reason: reason.code });
    logger.warn(
      { dlq: topic, origin: `${record.topic}/${record.partition}@${record.offset}`, ...headerIds(record), ...reason },
      'dead-lettered',
    );
  };

  const eachBatch = createPartitionWorker({
    consumer: name,
    attempts: createAttempt({
      pool,
      deps,
      handlerAttempts: settings.retry.handlerAttempts,
      groupCommit: { transactions: settings.transactionsConcurrently, maxRecords: settings.maxBatchSize },
      sendToDlq,
      logger,
    }),
    offsets,
    retries,
    metrics,
    logger,
    retry: settings.retry,
    maxBatchSize: settings.maxBatchSize,
    stopping: stopping.signal,
  });
  const tracked: typeof eachBatch = async (payload) => {
    const run = eachBatch(payload);
    inFlight.add(run);
    try {
      await run;
    } finally {
      inFlight.delete(run);
    }
  };

  return {
    async start() {
      await producer.connect();
      await consumer.connect();
      for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConcurrently,
        eachBatch: tracked,
      });
      commitTimer = setInterval(() => offsets.tick(), settings.commitIntervalMs);
      commitTimer.unref();
      stopSweeper = startParkSweeper({
        pool,
        consumer: name,
        ttlMs: settings.parkTtlMs,
        intervalMs: settings.parkSweepIntervalMs,
        logger,
        deadLetter: sendToDlq,
      });
    },
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      ready = false;
      clearInterval(commitTimer);
      retries.clear();
      try {
        consumer.pause(opts.topics.map((topic) => ({ topic })));
      } catch {
        // never ran: nothing to pause
      }
      const budget = new ShutdownBudget(settings.shutdownTimeoutMs, logger);
      await budget.spend('the park sweeper', stopSweeper?.() ?? Promise.resolve());
      await budget.spend('in-flight batches', Promise.allSettled([...inFlight]));
      await budget.spend('the final offset commit', offsets.flush());
      await budget.spend('the consumer to leave the group', consumer.disconnect());
      await budget.spend('the producer to disconnect', producer.disconnect());
      await budget.spend('the backlog observer to disconnect', observer.stop());
    },
    isReady: () => ready,
    releaseParked: (sagaId) => releaseParkedOf(pool, deps, sagaId),
  };
}
