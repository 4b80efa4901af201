import { ContractViolation, decodeEvent, type DecodedEvent, type EventType } from '@choreo/contracts';
import { withTransaction } from '@choreo/platform';
import type { Logger } from 'pino';
import type { Pool, PoolClient } from 'pg';
import * as store from './message-store';
import type { MessagingMetrics } from './messaging.metrics';
import type { Handler, HandlerMap, Outcome, RawRecord } from './types';

export interface PipelineDeps {
  readonly consumer: string;
  readonly handlers: HandlerMap;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

/** What became of one record. `poison` is settled by the caller: it goes to the DLQ, outside any transaction. */
export type Settlement =
  | { readonly kind: 'poison'; readonly error: ContractViolation }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'applied' | 'ignored' | 'parked'; readonly reason?: string; readonly released: number };

type Verdict = Outcome & { readonly gap?: boolean; readonly staleSeq?: boolean };

/**
 * One record, one transaction: inbox dedupe → sequencing → handler → state + outbox →
 * release whatever this unblocked → commit. Throws on infrastructure failure, so the caller
 * can retry without committing the offset.
 */
export async function processRecord(pool: Pool, deps: PipelineDeps, record: RawRecord): Promise<Settlement> {
  let decoded: DecodedEvent;
  try {
    decoded = decodeEvent(record.headers, record.value);
  } catch (error) {
    if (error instanceof ContractViolation) return { kind: 'poison', error };
    throw error;
  }
  const { envelope } = decoded;
  const log = deps.logger.child({ eventId: envelope.eventId, sagaId: envelope.sagaId, eventType: envelope.eventType });
  return withTransaction(pool, async (tx) => {
    await store.lockSaga(tx, deps.consumer, envelope.sagaId);
    if (await store.inboxOutcome(tx, deps.consumer, envelope.eventId)) {
      deps.metrics.duplicates.inc({ consumer: deps.consumer, kind: 'inbox' });
      log.debug('duplicate delivery absorbed by the inbox');
      return { kind: 'duplicate' };
    }
    const verdict = await judge(tx, deps, decoded, log);
    if (verdict.kind === 'park') {
      await store.park(tx, deps.consumer, envelope.sagaId, record, envelope.eventId, verdict.reason);
      await store.recordInbox(tx, deps.consumer, envelope, record, 'parked', verdict.reason);
      deps.metrics.parked.inc({ consumer: deps.consumer, kind: verdict.gap ? 'gap' : 'handler' });
      log.info({ reason: verdict.reason }, 'event parked');
      return { kind: 'parked', reason: verdict.reason, released: 0 };
    }
    const outcome = verdict.kind === 'apply' ? 'applied' : 'ignored';
    const reason = verdict.kind === 'ignore' ? verdict.reason : null;
    await store.recordInbox(tx, deps.consumer, envelope, record, outcome, reason);
    if (verdict.kind === 'ignore') log.info({ reason }, 'event ignored');
    const released = await releaseParked(tx, deps, envelope.sagaId);
    return { kind: outcome, ...(reason ? { reason } : {}), released };
  });
}

/**
 * Replays the saga's parked events in arrival order, restarting from the oldest after each
 * one that settles, until a full pass settles none. Call it after any state change made
 * outside the consumer (an HTTP cancel, a deadline) too.
 */
export async function releaseParked(tx: PoolClient, deps: PipelineDeps, sagaId: string): Promise<number> {
  let released = 0;
  for (;;) {
    let progressed = false;
    for (const row of await store.parkedFor(tx, deps.consumer, sagaId)) {
      const decoded = decodeParked(row, deps.logger);
      if (!decoded) continue;
      const log = deps.logger.child({ eventId: row.event_id, sagaId, eventType: decoded.envelope.eventType });
      const verdict = await judge(tx, deps, decoded, log);
      if (verdict.kind === 'park') continue;
      await store.unpark(tx, deps.consumer, row.event_id);
      const reason = verdict.kind === 'ignore' ? verdict.reason : null;
      await store.settleInbox(tx, deps.consumer, row.event_id, verdict.kind === 'apply' ? 'applied' : 'ignored', reason);
      deps.metrics.released.inc({ consumer: deps.consumer });
      log.info({ outcome: verdict.kind, reason, parkedFor: row.reason }, 'parked event released');
      released++;
      progressed = true;
      break;
    }
    if (!progressed) return released;
  }
}

/** Sequencing, then the handler inside a savepoint; advances the seq for apply and ignore. */
async function judge(tx: PoolClient, deps: PipelineDeps, decoded: DecodedEvent, log: Logger): Promise<Verdict> {
  const { envelope, event } = decoded;
  const last = await store.lastSeq(tx, deps.consumer, envelope);
  if (envelope.aggregateSeq <= last) {
    deps.metrics.duplicates.inc({ consumer: deps.consumer, kind: 'sequence' });
    return { kind: 'ignore', reason: `duplicate: seq ${envelope.aggregateSeq} of ${envelope.aggregateType} already applied`, staleSeq: true };
  }
  if (envelope.aggregateSeq > last + 1) {
    return { kind: 'park', reason: `gap: waiting for ${envelope.aggregateType} seq ${last + 1}`, gap: true };
  }
  const handler = deps.handlers[event.type as EventType] as Handler | undefined;
  let outcome: Outcome = { kind: 'ignore', reason: `no handler for ${event.type}` };
  if (handler) {
    const stop = deps.metrics.handlerSeconds.startTimer({ consumer: deps.consumer, event_type: event.type });
    try {
      await tx.query('SAVEPOINT handler');
      outcome = await handler({ tx, event, envelope, logger: log });
      // Ignore and park keep nothing the handler wrote; release too, so a long release loop does not stack savepoints.
      if (outcome.kind !== 'apply') await tx.query('ROLLBACK TO SAVEPOINT handler');
      await tx.query('RELEASE SAVEPOINT handler');
    } finally {
      stop();
    }
  }
  if (outcome.kind !== 'park') await store.advanceSeq(tx, deps.consumer, envelope);
  return outcome;
}

/**
 * A row parked by an older build may no longer decode (a retired schema version). It must not
 * fail every later event of its saga, so it is skipped here and left for the TTL sweeper,
 * which dead-letters the raw record without decoding it.
 */
function decodeParked(row: store.ParkedRow, logger: Logger): DecodedEvent | undefined {
  try {
    return decodeEvent(row.headers, row.value);
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    logger.error({ err: error, eventId: row.event_id, sagaId: row.park_key }, 'parked event no longer decodes; left for the park TTL');
    return undefined;
  }
}

/** Records a dead-lettered record in the inbox, so a redelivery is absorbed rather than retried again. */
export async function recordDeadLettered(pool: Pool, deps: PipelineDeps, record: RawRecord, reason: string): Promise<void> {
  let decoded: DecodedEvent;
  try {
    decoded = decodeEvent(record.headers, record.value);
  } catch (error) {
    if (error instanceof ContractViolation) return;
    throw error;
  }
  const { envelope } = decoded;
  await withTransaction(pool, async (tx) => {
    await store.lockSaga(tx, deps.consumer, envelope.sagaId);
    if (await store.inboxOutcome(tx, deps.consumer, envelope.eventId)) return;
    await store.recordInbox(tx, deps.consumer, envelope, record, 'dead_lettered', reason.slice(0, 2_000));
  });
}
