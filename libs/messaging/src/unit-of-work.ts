import { ContractViolation, type DecodedEvent, type Envelope, type EventType } from '@choreo/contracts';
import { commitWritesMark, dropCommitWritesAfter } from '@choreo/platform';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import { inHandlingSpan } from './consumer-tracing';
import { REDRIVE_HEADER } from './dead-letter';
import { decodeRecord, type PipelineDeps, type Settlement } from './decode-record';
import * as store from './message-store';
import { decidesBeforeWriting, type Handler, type Outcome, type RawRecord } from './types';

/** An event this transaction parked: held here, and written with the COMMIT unless a later apply releases it first. */
interface PendingPark extends store.ParkedRecord {
  readonly decoded: DecodedEvent;
}

/** A parked event up for release: a row of an earlier transaction, or one of this transaction's (`pending`). */
interface Parked {
  readonly eventId: string;
  readonly reason: string;
  readonly decoded: DecodedEvent;
  readonly pending?: PendingPark;
}

/**
 * One transaction's view of the consumer tables. Sequences are read once and advanced in
 * memory; inbox rows are written at the end (`closingSql`, with the COMMIT). An event parked
 * in this transaction is held in memory too: released by a later apply of its saga in the same
 * transaction, it never touches `parked_events`; still parked at the end, it is written there
 * with the COMMIT. Releasing an event parked by an earlier transaction reads and deletes its row.
 */
export class UnitOfWork {
  private readonly settledRows: store.SettledInboxRow[] = [];
  private readonly pendingParks: PendingPark[] = [];
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
      this.pendingParks.push({ sagaId: envelope.sagaId, eventId: envelope.eventId, record, reason: verdict.reason, decoded });
      const kind = verdict.gap ? 'gap' : 'handler';
      this.counts.push(() => deps.metrics.parked.inc({ consumer: deps.consumer, kind }));
      deps.logger.debug({ ...ids(envelope), reason: verdict.reason }, 'event parked');
      return { kind: 'parked', reason: verdict.reason, released: 0 };
    }
    const outcome = verdict.kind === 'apply' ? 'applied' : 'ignored';
    const reason = verdict.kind === 'ignore' ? verdict.reason : null;
    this.settledRows.push({ envelope, record, outcome, reason });
    if (reason) deps.logger.debug({ ...ids(envelope), reason }, 'event ignored');
    const released = this.hasParked(envelope.sagaId) ? await this.releaseParked(envelope.sagaId) : 0;
    return { kind: outcome, ...(reason ? { reason } : {}), released };
  }

  /**
   * Replays the saga's parked events in arrival order (those of earlier transactions first,
   * then this one's), restarting from the oldest after each one that settles, until a full pass
   * settles none.
   */
  async releaseParked(sagaId: string): Promise<number> {
    const { deps } = this;
    let released = 0;
    for (;;) {
      let progressed = false;
      for (const parked of await this.parkedOf(sagaId)) {
        const verdict = await this.judge(parked.decoded);
        if (verdict.kind === 'park') continue;
        const outcome = verdict.kind === 'apply' ? 'applied' : 'ignored';
        const reason = verdict.kind === 'ignore' ? verdict.reason : null;
        if (parked.pending) {
          this.pendingParks.splice(this.pendingParks.indexOf(parked.pending), 1);
          this.settledRows.push({ envelope: parked.decoded.envelope, record: parked.pending.record, outcome, reason });
        } else {
          await store.unpark(this.tx, deps.consumer, parked.eventId);
          await store.settleInbox(this.tx, deps.consumer, parked.eventId, outcome, reason);
        }
        this.counts.push(() => deps.metrics.released.inc({ consumer: deps.consumer }));
        deps.logger.debug(
          { eventId: parked.eventId, sagaId, outcome: verdict.kind, reason, parkedFor: parked.reason },
          'parked event released',
        );
        released++;
        progressed = true;
        break;
      }
      if (!progressed) return released;
    }
  }

  private hasParked(sagaId: string): boolean {
    return this.known.parkedSagas.has(sagaId) || this.pendingParks.some((p) => p.sagaId === sagaId);
  }

  /** The saga's parked events, oldest first: rows of earlier transactions (read again each time), then this one's. */
  private async parkedOf(sagaId: string): Promise<Parked[]> {
    const stored = this.known.parkedSagas.has(sagaId) ? await store.parkedFor(this.tx, this.deps.consumer, sagaId) : [];
    if (stored.length === 0) this.known.parkedSagas.delete(sagaId);
    return [
      ...stored.flatMap((row) => {
        const decoded = decodeParked(row, this.deps.logger);
        return decoded ? [{ eventId: row.event_id, reason: row.reason, decoded }] : [];
      }),
      ...this.pendingParks.filter((p) => p.sagaId === sagaId).map((pending) => ({ ...pending, pending })),
    ];
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
    const parkedRows = this.pendingParks.map(({ decoded, record, reason }) => ({
      envelope: decoded.envelope,
      record,
      outcome: 'parked' as const,
      reason,
    }));
    const sql = store.batchSettlementsSql(
      this.deps.consumer,
      [...this.settledRows, ...parkedRows],
      [...this.advanced.values()],
      this.pendingParks,
    );
    this.settledRows.length = 0;
    this.advanced.clear();
    this.pendingParks.length = 0;
    return sql;
  }

  /** Sequencing, then the handler (in a savepoint unless it decides before writing); advances the seq for apply and ignore. Traced as the event's handling. */
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
