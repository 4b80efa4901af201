import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { backoffMs } from './backoff';
import { headersToStrings } from './kafka-client';
import type { MessagingMetrics } from './messaging.metrics';
import type { OffsetTracker } from './offset-tracker';
import type { PartitionRetries } from './partition-retries';
import { RetryLater, type createAttempt, type SettledRecord } from './record-attempt';
import type { RawRecord } from './types';

export interface PartitionWorkerDeps {
  readonly consumer: string;
  readonly attempts: ReturnType<typeof createAttempt>;
  readonly offsets: OffsetTracker;
  readonly retries: PartitionRetries;
  readonly metrics: MessagingMetrics;
  readonly logger: Logger;
  readonly retry: { readonly initialMs: number; readonly maxMs: number };
  /** Most records settled in one transaction. */
  readonly maxBatchSize: number;
  readonly stopping: AbortSignal;
}

/**
 * kafkajs' `eachBatch`: a fetched batch of one partition, settled strictly in order. Records
 * are settled together whenever they can be, in one transaction with the batches other
 * partitions hand in at the same time (group commit, up to `maxBatchSize` records); a record
 * that failed before, poison, or a batch that could not settle together is settled on its
 * own, so retries, backoff and dead-lettering stay per record. A failing record pauses and
 * rewinds its partition only; the rest of the batch is fetched again after the backoff.
 */
export function createPartitionWorker(deps: PartitionWorkerDeps) {
  const { consumer: name, attempts, offsets, retries, metrics, logger } = deps;

  return async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const receivedAt = Date.now();
    const records = batch.messages.map((m) => toRawRecord(topic, partition, m, receivedAt));
    /** After a batch failed to settle together, its records go one by one. */
    let singlesLeft = 0;
    let i = 0;
    while (i < records.length) {
      const head = records[i]!;
      // Shutting down: leave it unsettled and uncommitted; the partition's next owner gets it.
      if (deps.stopping.aborted) return retries.holdBack(topic, partition, head.offset);
      if (!isRunning() || isStale()) return;
      const state = retries.stateOf(topic, partition, head.offset);
      let settled: SettledRecord[] | undefined;
      try {
        if (state.attempts === 0 && singlesLeft === 0) {
          const result = await attempts.attemptBatch(records.slice(i, i + deps.maxBatchSize));
          if ('settled' in result) settled = result.settled;
          else singlesLeft = result.oneByOne;
        }
        settled ??= [{ record: head, settlement: await attempts.attempt(head, state) }];
      } catch (error) {
        const kind = error instanceof RetryLater ? error.kind : 'handler';
        const delayMs = backoffMs(state.attempts++, deps.retry.initialMs, deps.retry.maxMs);
        metrics.retries.inc({ consumer: name, kind });
        logger.warn(
          {
            err: error instanceof RetryLater ? error.cause : error,
            kind,
            attempt: state.attempts,
            delayMs,
            topic,
            partition,
            offset: head.offset,
            ...headerIds(head),
          },
          'processing failed; partition paused until the retry',
        );
        return retries.holdBack(topic, partition, head.offset, deps.stopping.aborted ? undefined : delayMs);
      }
      for (const { record, settlement } of settled) {
        metrics.processed.inc({ consumer: name, topic, event_type: record.headers['eventType'] ?? 'unknown', outcome: settlement });
        offsets.settled(topic, partition, record.offset);
        resolveOffset(record.offset);
      }
      retries.settled(topic, partition);
      i += settled.length;
      singlesLeft = Math.max(0, singlesLeft - settled.length);
      await heartbeat();
    }
  };
}

function toRawRecord(topic: string, partition: number, message: KafkaMessage, receivedAt: number): RawRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    headers: headersToStrings(message.headers),
    value: message.value?.toString('utf8') ?? null,
    timestamp: Number(message.timestamp),
    receivedAt,
  };
}

export const headerIds = (record: RawRecord) => ({ eventId: record.headers['eventId'], sagaId: record.headers['sagaId'] });
