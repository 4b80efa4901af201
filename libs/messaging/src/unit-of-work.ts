import { ContractViolation, type DecodedEvent, type Envelope, type EventType } from '@choreo/contracts';
import { commitWritesMark, dropCommitWritesAfter } from '@choreo/platform';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import { inHandlingSpan } from './consumer-tracing';
import { REDRIVE_HEADER } from './dead-letter';
import { decodeRecord, type PipelineDeps, type Settlement } from './decode-record';
import * as store from './message-store';
import { decidesBeforeWriting, type Handler, type Outcome, type RawRecord } from './types';

/**
 * One transaction's view of the consumer tables. Sequences are read once and advanced in
 * memory; inbox rows of applied and ignored events are written at the end (`flush`). Parks
 * and releases, the rare path, write at once, so `parked_events` and the inbox rows of
 * parked events are always current for whatever reads them next in the transaction.
 */
export class UnitOfWork {
  private readonly settledRows: store.SettledInboxRow[] = [];
  private readonly advanced = new Map<string, { aggregateType: string; aggregateId: string; seq: number }>();
  private readonly savepoint: HandlerSavepoint;
  /** Counted only once the transaction commits: a batch that rolls back and is settled again must not count twice. */
  private readonly counts: (() => void)[] = [];

  constructor(
    private readonly tx: PoolClient,
    private readonly deps: PipelineDeps,
    private readonly known: store.BatchKnowledge,
  ) {
    this.savepoint = new HandlerSavepoint(tx);
  }

  async settle(record: RawRecord, decoded: DecodedEvent): Promise<Settlement> {
    const { deps } = this;
    const { envelope } = decoded;
    const redriven = this.known.deadLettered.delete(envelope.eventId) && record.headers[REDRIVE_HEADER] !== undefined;
    if (this.known.seen.has(envelope.eventId) && !redriven) {
      this.counts.push(() => deps.metrics.duplicates.inc({ consumer: deps.consumer, kind: 'inbox' }));
      deps.logger.debug({ eventId: envelope.eventId, sagaId: envelope.sagaId }, 'duplicate delivery absorbed by the inbox');
      return { kind: 'duplicate' };
    }
    this.known.seen.add(envelope.eventId);
    const verdict = await this.judge(decoded);
    if (verdict.kind === 'park') {
      await store.park(this.tx, deps.consumer, envelope.sagaId, record, envelope.eventId, verdict.reason);
      await store.recordInbox(this.tx, deps.consumer, envelope, record, 'parked', verdict.reason);
      this.known.parkedSagas.add(envelope.sagaId);
      const kind = verdict.gap ? 'gap' : 'handler';
      this.counts.push(() => deps.metrics.parked.inc({ consumer: deps.consumer, kind }));
      deps.logger.debug({ ...ids(envelope), reason: verdict.reason }, 'event parked');
      return { kind: 'parked', reason: verdict.reason, released: 0 };
    }
    const outcome = verdict.kind === 'apply' ? 'applied' : 'ignored';
    const reason = verdict.kind === 'ignore' ? verdict.reason : null;
    this.settledRows.push({ envelope, record, outcome, reason });
    if (reason) deps.logger.debug({ ...ids(envelope), reason }, 'event ignored');
    const released = this.known.parkedSagas.has(envelope.sagaId) ? await this.releaseParked(envelope.sagaId) : 0;
    return { kind: outcome, ...(reason ? { reason } : {}), released };
  }

  /**
   * Replays the saga's parked events in arrival order, restarting from the oldest after each
   * one that settles, until a full pass settles none.
   */
  async releaseParked(sagaId: string): Promise<number> {
    const { deps } = this;
    let released = 0;
    for (;;) {
      const rows = await store.parkedFor(this.tx, deps.consumer, sagaId);
      if (rows.length === 0) this.known.parkedSagas.delete(sagaId);
      let progressed = false;
      for (const row of rows) {
        const decoded = decodeParked(row, deps.logger);
        if (!decoded) continue;
        const verdict = await this.judge(decoded);
        if (verdict.kind === 'park') continue;
        await store.unpark(this.tx, deps.consumer, row.event_id);
        const reason = verdict.kind === 'ignore' ? verdict.reason : null;
        await store.settleInbox(this.tx, deps.consumer, row.event_id, verdict.kind === 'apply' ? 'applied' : 'ignored', reason);
        this.counts.push(() => deps.metrics.released.inc({ consumer: deps.consumer }));
        deps.logger.debug({ eventId: row.event_id, sagaId, outcome: verdict.kind, reason, parkedFor: row.reason }, 'parked event released');
        released++;
        progressed = true;
        break;
      }
      if (!progressed) return released;
    }
  }

  /** Call after the commit: counts what the transaction did. */
  committed(): void {
    for (const count of this.counts.splice(0)) count();
  }

  /** Writes what was kept in memory: the settled inbox rows and the advanced seqs. */
  async flush(): Promise<void> {
    const sql = this.closingSql();
    if (sql !== '') await this.tx.query(sql);
  }

  /** The statement that writes what was kept in memory, for the caller to send with its COMMIT; nothing is kept after. */
  closingSql(): string {
    const sql = store.batchSettlementsSql(this.deps.consumer, this.settledRows, [...this.advanced.values()]);
    this.settledRows.length = 0;
    this.advanced.clear();
    return sql;
  }

  /** Sequencing, then the handler inside a savepoint; advances the seq for apply and ignore. Traced as the event's handling. */
  private judge(decoded: DecodedEvent): Promise<Outcome & { readonly gap?: boolean }> {
    return inHandlingSpan(this.deps.consumer, decoded.envelope, () => this.sequenceAndHandle(decoded));
  }

  private async sequenceAndHandle(decoded: DecodedEvent): Promise<Outcome & { readonly gap?: boolean }> {
    const { deps } = this;
    const { envelope, event } = decoded;
    const last = await this.lastSeq(envelope);
    if (envelope.aggregateSeq <= last) {
      this.counts.push(() => deps.metrics.duplicates.inc({ consumer: deps.consumer, kind: 'sequence' }));
      return { kind: 'ignore', reason: `duplicate: seq ${envelope.aggregateSeq} of ${envelope.aggregateType} already applied` };
    }
    if (envelope.aggregateSeq > last + 1) {
      return { kind: 'park', reason: `gap: waiting for ${envelope.aggregateType} seq ${last + 1}`, gap: true };
    }
    const handler = deps.handlers[event.type as EventType] as Handler | undefined;
    let outcome: Outcome = { kind: 'ignore', reason: `no handler for ${event.type}` };
    if (handler) {
      const stop = deps.metrics.handlerSeconds.startTimer({ consumer: deps.consumer, event_type: event.type });
      // Ignore and park keep nothing the handler wrote: a handler that may write before it decides runs in a savepoint.
      const guarded = !decidesBeforeWriting(handler);
      try {
        if (guarded) await this.savepoint.open();
        outcome = await handler({ tx: this.tx, event, envelope, logger: deps.logger });
        if (guarded && outcome.kind !== 'apply') await this.savepoint.rollBack();
      } finally {
        stop();
      }
    }
    if (outcome.kind !== 'park') this.advance(envelope);
    return outcome;
  }

  private async lastSeq(envelope: Envelope): Promise<number> {
    const key = store.seqKey(envelope.aggregateType, envelope.aggregateId);
    let last = this.known.seqs.get(key);
    if (last === undefined) {
      // Not part of the batch (a parked event's aggregate): read it under the same row lock.
      last = await store.lastSeq(this.tx, this.deps.consumer, envelope);
      this.known.seqs.set(key, last);
    }
    return last;
  }

  private advance(envelope: Envelope): void {
    const key = store.seqKey(envelope.aggregateType, envelope.aggregateId);
    this.known.seqs.set(key, envelope.aggregateSeq);
    this.advanced.set(key, { aggregateType: envelope.aggregateType, aggregateId: envelope.aggregateId, seq: envelope.aggregateSeq });
  }
}

/**
 * The savepoint around each handler call. A kept savepoint is released lazily, in the same
 * round trip that opens the next one (COMMIT releases the last), so a handler costs one extra
 * round trip, and savepoints never stack up within a long batch.
 */
class HandlerSavepoint {
  private held = false;
  /** Rows queued for the COMMIT (outbox rows) before the savepoint: a rollback to it forgets the later ones too. */
  private mark = 0;

  constructor(private readonly tx: PoolClient) {}

  async open(): Promise<void> {
    await this.tx.query(this.held ? 'RELEASE SAVEPOINT handler; SAVEPOINT handler' : 'SAVEPOINT handler');
    this.held = true;
    this.mark = commitWritesMark(this.tx);
  }

  async rollBack(): Promise<void> {
    await this.tx.query('ROLLBACK TO SAVEPOINT handler; RELEASE SAVEPOINT handler');
    dropCommitWritesAfter(this.tx, this.mark);
    this.held = false;
  }
}

/**
 * A row parked by an older build may no longer decode (a retired schema version). It must not
 * fail every later event of its saga, so it is skipped here and left for the TTL sweeper,
 * which dead-letters the raw record without decoding it.
 */
function decodeParked(row: store.ParkedRow, logger: Logger): DecodedEvent | undefined {
  const decoded = decodeRecord(store.toRecord(row));
  if (!(decoded instanceof ContractViolation)) return decoded.decoded;
  logger.error({ err: decoded, eventId: row.event_id, sagaId: row.park_key }, 'parked event no longer decodes; left for the park TTL');
  return undefined;
}

const ids = (envelope: Envelope) => ({ eventId: envelope.eventId, sagaId: envelope.sagaId, eventType: envelope.eventType });
