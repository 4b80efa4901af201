import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { ContractViolation } from '@choreo/contracts';
import type { DeadLetterReason } from './dead-letter';
import { createGroupCommit, type GroupCommitOptions } from './group-commit';
import type { RetryKind, RetryState } from './partition-retries';
import {
  decodeRecord,
  processBatch,
  processRecord,
  recordDeadLettered,
  type DecodedRecord,
  type PipelineDeps,
  type Settlement,
} from './process-record';
import { isTransient } from './transient';
import type { RawRecord, SettlementKind } from './types';

/** Why an attempt did not settle its record; the caller holds the partition back and retries. */
export class RetryLater extends Error {
  constructor(
    readonly kind: RetryKind,
    cause: unknown,
  ) {
    super(`${kind} failure: ${messageOf(cause)}`, { cause });
  }
}

interface AttemptDeps {
  readonly pool: Pool;
  readonly deps: PipelineDeps;
  readonly handlerAttempts: number;
  /** How batches of concurrent partitions share transactions. */
  readonly groupCommit: GroupCommitOptions;
  readonly sendToDlq: (record: RawRecord, reason: DeadLetterReason) => Promise<void>;
  readonly logger: Logger;
}

export interface SettledRecord {
  readonly record: RawRecord;
  readonly settlement: SettlementKind;
}

/** Lock conflicts between two batch transactions: settling the records one by one cannot conflict that way. */
const LOCK_CONFLICT = new Set(['40P01', '40001']);

/**
 * One attempt at settling a record: returns the outcome it settled with, or throws
 * `RetryLater`. Transient failures never count against the record; other failures do, and
 * after `handlerAttempts` of them the record is dead-lettered as HANDLER_FAILED.
 */
export function createAttempt({ pool, deps, handlerAttempts, groupCommit, sendToDlq, logger }: AttemptDeps) {
  const settleTogether = createGroupCommit((run: readonly DecodedRecord[]) => processBatch(pool, deps, run), groupCommit);
  const publish = (record: RawRecord, reason: DeadLetterReason) =>
    sendToDlq(record, reason).catch((error: unknown) => {
      throw new RetryLater('dead_letter', error);
    });

  async function attempt(record: RawRecord, state: RetryState): Promise<SettlementKind> {
    if (state.handlerFailures < handlerAttempts) {
      const settlement = await processRecord(pool, deps, record).catch((error: unknown) => {
        if (isTransient(error)) throw new RetryLater('transient', error);
        state.handlerFailures++;
        state.lastError = messageOf(error);
        if (state.handlerFailures < handlerAttempts) throw new RetryLater('handler', error);
        return undefined;
      });
      if (settlement?.kind === 'poison') {
        await publish(record, { code: settlement.error.code, message: settlement.error.message });
        return 'dead_lettered';
      }
      if (settlement) return settlementKind(settlement);
    }
    // Out of attempts. A failed publish is retried forever (never skipped); once out, it is not sent again.
    if (!state.deadLettered) {
      await publish(record, { code: 'HANDLER_FAILED', message: state.lastError });
      state.deadLettered = true;
    }
    await recordDeadLettered(pool, deps, record, `handler failed ${state.handlerFailures} times: ${state.lastError}`).catch(
      (error: unknown) => {
        if (isTransient(error)) throw new RetryLater('transient', error);
        logger.error(
          { err: error, eventId: record.headers['eventId'], sagaId: record.headers['sagaId'] },
          'dead-lettered, but recording it in the inbox failed',
        );
      },
    );
    return 'dead_lettered';
  }

  /**
   * Settles the decodable records at the head of `records` in one transaction, shared with the
   * batches other partitions hand in meanwhile (group commit), and returns what it settled, in
   * order. Otherwise says how many records should go one by one: the head alone when it is
   * poison; all of them after a failure that settling them one by one handles better — a handler error (which then counts against its own record
   * only) or a lock conflict with another batch. A transient failure throws `RetryLater`, as
   * for a single record.
   */
  async function attemptBatch(records: readonly RawRecord[]): Promise<{ settled: SettledRecord[] } | { oneByOne: number }> {
    const run: DecodedRecord[] = [];
    for (const record of records) {
      const decoded = decodeRecord(record);
      if (decoded instanceof ContractViolation) break;
      run.push(decoded);
    }
    if (run.length === 0) return { oneByOne: 1 };
    try {
      const settlements = await settleTogether(run);
      return { settled: run.map(({ record }, i) => ({ record, settlement: settlementKind(settlements[i]!) })) };
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (isTransient(error) && !(typeof code === 'string' && LOCK_CONFLICT.has(code))) throw new RetryLater('transient', error);
      logger.debug({ err: error, records: run.length }, 'batch not settled together; settling its records one by one');
      return { oneByOne: run.length };
    }
  }

  return { attempt, attemptBatch };
}

const settlementKind = (s: Settlement): SettlementKind => (s.kind === 'poison' ? 'dead_lettered' : s.kind);

const messageOf = (error: unknown) => String((error as Error)?.message ?? error);
