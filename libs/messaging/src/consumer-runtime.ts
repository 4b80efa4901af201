import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { guardPool, withTransaction } from '@choreo/platform';
import { backoffMs, pause } from './backoff';
import { deadLetter, type DeadLetterReason } from './dead-letter';
import { createKafka, headersToStrings } from './kafka-client';
import { lockSaga } from './message-store';
import { createMessagingMetrics } from './messaging.metrics';
import { OffsetTracker } from './offset-tracker';
import { startParkSweeper } from './park-sweeper';
import { PartitionRetries } from './partition-retries';
import { releaseParked, type PipelineDeps } from './process-record';
import { createAttempt, RetryLater } from './record-attempt';
import type { HandlerMap, RawRecord } from './types';

export interface ConsumerRuntimeOptions {
  /** Consumer group id, inbox `consumer` column, and metric label. One per service. */
  readonly name: string;
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly handlers: HandlerMap;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Partitions processed at the same time (each one strictly in order). Default 6. */
  readonly partitionsConcurrently?: number;
  /** Backoff between attempts (full jitter, capped) and how many non-transient handler failures before the DLQ. */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number; readonly handlerAttempts?: number };
  readonly parkTtlMs?: number;
  readonly parkSweepIntervalMs?: number;
  /** How often settled offsets are committed; a crash redelivers at most this much (the inbox absorbs it). Default 1 s. */
  readonly commitIntervalMs?: number;
  /** How soon the group notices a member that died without leaving; its partitions move then. Default 30 s (broker minimum 6 s). */
  readonly sessionTimeoutMs?: number;
  /** How long `stop()` waits for in-flight messages and the final commit before giving up on them. Default 15 s. */
  readonly shutdownTimeoutMs?: number;
}

export interface ConsumerRuntime {
  start(): Promise<void>;
  /** Stops fetching, finishes the in-flight messages, commits their offsets, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** True once the group has been joined and the consumer has not crashed or stopped since. */
  isReady(): boolean;
  /** Re-tries a saga's parked events after a state change made outside the consumer. */
  releaseParked(sagaId: string): Promise<number>;
}

export function createConsumerRuntime(opts: ConsumerRuntimeOptions): ConsumerRuntime {
  const { name, pool } = opts;
  const logger = opts.logger.child({ component: 'consumer', consumer: name });
  const metrics = createMessagingMetrics(opts.registry);
  const deps: PipelineDeps = { consumer: name, handlers: opts.handlers, logger, metrics };
  const retry = { initialMs: 100, maxMs: 5_000, handlerAttempts: 5, ...opts.retry };
  const shutdownTimeoutMs = opts.shutdownTimeoutMs ?? 15_000;
  const sessionTimeout = opts.sessionTimeoutMs ?? 30_000;
  const kafka = createKafka(name, opts.brokers, logger);
  const consumer: Consumer = kafka.consumer({
    groupId: name,
    sessionTimeout,
    heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
    // A resumed partition is fetched on the next poll; kafkajs' 5 s default would delay every retry.
    maxWaitTimeInMs: 500,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8, restartOnFailure: async () => true },
  });
  // Few retries inside kafkajs: a DLQ publish that fails comes back to the runtime's own loop,
  // which pauses only this partition, counts it, and retries it forever.
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 2 } });
  guardPool(pool, logger);
  const offsets = new OffsetTracker(consumer, logger);
  const retries = new PartitionRetries(consumer);
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
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
    logger.warn({ dlq: topic, origin: `${record.topic}/${record.partition}@${record.offset}`, ...headerIds(record), ...reason }, 'dead-lettered');
  };

  const attempt = createAttempt({ pool, deps, handlerAttempts: retry.handlerAttempts, sendToDlq, logger });

  async function eachMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const record: RawRecord = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: headersToStrings(message.headers),
      value: message.value?.toString('utf8') ?? null,
      timestamp: Number(message.timestamp),
      receivedAt: Date.now(),
    };
    // Shutting down: leave it unsettled and uncommitted; the partition's next owner gets it.
    if (stopping.signal.aborted) return retries.holdBack(topic, partition, message.offset);
    const state = retries.stateOf(topic, partition, message.offset);
    try {
      const outcome = await attempt(record, state);
      metrics.processed.inc({ consumer: name, topic, event_type: record.headers['eventType'] ?? 'unknown', outcome });
      retries.settled(topic, partition);
      offsets.settled(topic, partition, message.offset);
    } catch (error) {
      const kind = error instanceof RetryLater ? error.kind : 'handler';
      const delayMs = backoffMs(state.attempts++, retry.initialMs, retry.maxMs);
      metrics.retries.inc({ consumer: name, kind });
      logger.warn(
        { err: error instanceof RetryLater ? error.cause : error, kind, attempt: state.attempts, delayMs, topic, partition, offset: message.offset, ...headerIds(record) },
        'processing failed; partition paused until the retry',
      );
      retries.holdBack(topic, partition, message.offset, stopping.signal.aborted ? undefined : delayMs);
    }
  }

  const tracked = async (payload: EachMessagePayload) => {
    const run = eachMessage(payload);
    inFlight.add(run);
    try {
      await run;
    } finally {
      inFlight.delete(run);
    }
  };

  const within = async (what: string, work: Promise<unknown>) => {
    const timedOut = Symbol('timeout');
    const settled = new AbortController(); // so the timer does not keep the process alive afterwards
    const result = await Promise.race([work, pause(shutdownTimeoutMs, settled.signal).then(() => timedOut)]);
    settled.abort();
    if (result === timedOut) logger.error({ timeoutMs: shutdownTimeoutMs }, `shutdown: gave up waiting for ${what}`);
  };

  return {
    async start() {
      await producer.connect();
      await consumer.connect();
      for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommit: false, partitionsConsumedConcurrently: opts.partitionsConcurrently ?? 6, eachMessage: tracked });
      commitTimer = setInterval(() => offsets.tick(), opts.commitIntervalMs ?? 1_000);
      commitTimer.unref();
      stopSweeper = startParkSweeper({
        pool,
        consumer: name,
        ttlMs: opts.parkTtlMs ?? 5 * 60_000,
        intervalMs: opts.parkSweepIntervalMs ?? 5_000,
        metrics,
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
      await stopSweeper?.();
      await within('in-flight messages', Promise.allSettled([...inFlight]));
      await within('the final offset commit', offsets.flush());
      await within('the consumer to leave the group', consumer.disconnect());
      await producer.disconnect();
    },
    isReady: () => ready,
    releaseParked: (sagaId) =>
      withTransaction(pool, async (tx) => {
        await lockSaga(tx, name, sagaId);
        return releaseParked(tx, deps, sagaId);
      }),
  };
}

const headerIds = (record: RawRecord) => ({ eventId: record.headers['eventId'], sagaId: record.headers['sagaId'] });
