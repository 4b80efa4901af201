import { ContractViolation } from '@choreo/contracts';
import { withFramedTransaction, withTransaction } from '@choreo/platform';
import type { Pool } from 'pg';
import { inBatchSpan } from './consumer-tracing';
import * as store from './message-store';
import type { RawRecord } from './types';
import { decodeRecord, type DecodedRecord, type PipelineDeps, type Settlement } from './decode-record';
import { ioBreaks } from './io-breaks';
import { UnitOfWork } from './unit-of-work';

/** Longest run of a batch's records without a turn of the event loop (the service's HTTP requests wait behind it). */
const IO_BREAK_MS = 5;

export { decodeRecord, type BatchPrefetch, type DecodedRecord, type PipelineDeps, type Settlement } from './decode-record';

/** One record in its own transaction: a batch of one. */
export async function processRecord(pool: Pool, deps: PipelineDeps, record: RawRecord): Promise<Settlement> {
  const decoded = decodeRecord(record);
  if (decoded instanceof ContractViolation) return { kind: 'poison', error: decoded };
  const [settlement] = await processBatch(pool, deps, [decoded]);
  return settlement!;
}

/**
 * Records of one or more partitions, each partition's in order, in one transaction: saga locks
 * → what the inbox, sequences and parking already know (both sent with BEGIN) → the service's
 * prefetch of what its handlers will load, if it has one (one round trip) → for each
 * record: inbox dedupe → sequencing → handler (in a savepoint unless it decides before
 * writing) → release what it unblocked → one write of the inbox rows, the parks left and the
 * seqs, with the outbox rows the handlers appended (sent with COMMIT). Each record meets exactly
 * the checks it would meet in a transaction of its own; only the round trips are shared. Throws
 * on any failure, leaving nothing committed, so the caller can retry the batch or settle its
 * records one by one.
 */
export async function processBatch(pool: Pool, deps: PipelineDeps, records: readonly DecodedRecord[]): Promise<Settlement[]> {
  const envelopes = records.map((r) => r.decoded.envelope);
  const { result, work } = await inBatchSpan(deps.consumer, records, () =>
    // BEGIN with the locks and the read, COMMIT with the write: two round trips for the batch's own bookkeeping.
    withFramedTransaction(pool, store.openBatchSql(deps.consumer, envelopes), async (tx, [knowledge]) => {
      const known = store.batchKnowledge(knowledge!, envelopes);
      const work = new UnitOfWork(tx, deps, known);
      if (deps.prefetch) {
        const handled = records.filter(({ decoded }) => deps.handlers[decoded.event.type] && !known.seen.has(decoded.envelope.eventId));
        if (handled.length > 0)
          await deps.prefetch(
            tx,
            handled.map((r) => r.decoded),
          );
      }
      const settlements: Settlement[] = [];
      const pause = ioBreaks(IO_BREAK_MS);
      for (const { record, decoded } of records) {
        settlements.push(await work.settle(record, decoded));
        await pause();
      }
      return { result: { result: settlements, work }, close: work.closingSql() };
    }),
  );
  work.committed();
  deps.metrics.batchRecords.observe({ consumer: deps.consumer }, records.length);
  return result;
}

/**
 * Replays a saga's parked events after a state change made outside the consumer (an HTTP
 * cancel, a deadline), in its own transaction under the saga lock.
 */
export async function releaseParkedOf(pool: Pool, deps: PipelineDeps, sagaId: string): Promise<number> {
  const { released, work } = await withTransaction(pool, async (tx) => {
    await store.lockSaga(tx, deps.consumer, sagaId);
    const work = new UnitOfWork(tx, deps, { seen: new Set(), deadLettered: new Set(), seqs: new Map(), parkedSagas: new Set([sagaId]) });
    const released = await work.releaseParked(sagaId);
    await work.flush();
    return { released, work };
  });
  work.committed();
  return released;
}

/** Records a dead-lettered record in the inbox, so a redelivery is absorbed rather than retried again. */
export async function recordDeadLettered(pool: Pool, deps: PipelineDeps, record: RawRecord, reason: string): Promise<void> {
  const decoded = decodeRecord(record);
  if (decoded instanceof ContractViolation) return;
  const { envelope } = decoded.decoded;
  await withTransaction(pool, async (tx) => {
    await store.lockSaga(tx, deps.consumer, envelope.sagaId);
    if (await store.inboxOutcome(tx, deps.consumer, envelope.eventId)) return;
    await store.recordInbox(tx, deps.consumer, envelope, record, 'dead_lettered', reason.slice(0, 2_000));
  });
}
