import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { withTransaction } from '@choreo/platform';
import { backoffMs, pause } from './backoff';
import { deadLetter, type DeadLetterReason } from './dead-letter';
import { createKafka, headersToStrings } from './kafka-client';
import { createMessagingMetrics } from './messaging.metrics';
import { startParkSweeper } from './park-sweeper';
import { processRecord, releaseParked, type PipelineDeps } from './process-record';
import { isTransient } from './transient';
import { lockSaga } from './message-store';
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
  readonly partitionsConcurrently?: number;
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number; readonly handlerAttempts?: number };
  readonly parkTtlMs?: number;
  readonly parkSweepIntervalMs?: number;
  /** How often resolved offsets are committed; a crash redelivers at most this much (the inbox absorbs it). */
  readonly commitIntervalMs?: number;
}

export interface ConsumerRuntime {
  start(): Promise<void>;
  /** Finishes the in-flight messages, commits their offsets, disconnects. */
  stop(): Promise<void>;
  /** True once the group has been joined and the consumer has not crashed since. */
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
  const kafka = createKafka(name, opts.brokers, logger);
  const consumer: Consumer = kafka.consumer({
    groupId: name,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8, restartOnFailure: async () => true },
  });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  const stopping = new AbortController();
  let ready = false;
  let stopSweeper: (() => Promise<void>) | undefined;

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    ready = true;
    logger.info({ assignment: payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    ready = false;
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

  const sendToDlq = async (record: RawRecord, reason: DeadLetterReason) => {
    const topic = await deadLetter(producer, name, record, reason);
    metrics.deadLettered.inc({ consumer: name, topic: record.topic, reason: reason.code });
    logger.warn({ dlq: topic, origin: `${record.topic}/${record.partition}@${record.offset}`, ...reason }, 'dead-lettered');
  };

  async function eachMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const record: RawRecord = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: headersToStrings(message.headers),
      value: message.value?.toString('utf8') ?? null,
    };
    let failures = 0;
    for (let attempt = 0; ; attempt++) {
      // Leaving without settling means no offset commit: whoever owns the partition next redelivers.
      if (stopping.signal.aborted) throw new Error('consumer stopping; message left for redelivery');
      try {
        const settlement = await processRecord(pool, deps, record);
        if (settlement.kind === 'poison') {
          await sendToDlq(record, { code: settlement.error.code, message: settlement.error.message });
          metrics.processed.inc({ consumer: name, topic, event_type: record.headers['eventType'] ?? 'unknown', outcome: 'dead_lettered' });
          return;
        }
        metrics.processed.inc({ consumer: name, topic, event_type: record.headers['eventType']!, outcome: settlement.kind });
        return;
      } catch (error) {
        const transient = isTransient(error);
        if (!transient && ++failures >= retry.handlerAttempts) {
          await sendToDlq(record, { code: 'HANDLER_FAILED', message: String((error as Error)?.message ?? error) });
          metrics.processed.inc({ consumer: name, topic, event_type: record.headers['eventType'] ?? 'unknown', outcome: 'dead_lettered' });
          return;
        }
        metrics.retries.inc({ consumer: name, kind: transient ? 'transient' : 'handler' });
        const delay = backoffMs(attempt, retry.initialMs, retry.maxMs);
        logger.warn({ err: error, transient, attempt, delayMs: delay, topic, partition, offset: message.offset }, 'processing failed; will retry');
        await pause(delay, stopping.signal);
        await heartbeat();
      }
    }
  }

  return {
    async start() {
      await producer.connect();
      await consumer.connect();
      for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ partitionsConsumedConcurrently: opts.partitionsConcurrently ?? 6, autoCommitInterval: opts.commitIntervalMs ?? 1_000, eachMessage });
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
      stopping.abort();
      ready = false;
      await stopSweeper?.();
      await consumer.disconnect();
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
