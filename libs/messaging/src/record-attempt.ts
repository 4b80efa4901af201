import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { DeadLetterReason } from './dead-letter';
import type { RetryKind, RetryState } from './partition-retries';
import { processRecord, recordDeadLettered, type PipelineDeps } from './process-record';
import { isTransient } from './transient';
import type { RawRecord } from './types';

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
  readonly sendToDlq: (record: RawRecord, reason: DeadLetterReason) => Promise<void>;
  readonly logger: Logger;
}

/**
 * One attempt at settling a record: returns the outcome it settled with, or throws
 * `RetryLater`. Transient failures never count against the record; other failures do, and
 * after `handlerAttempts` of them the record is dead-lettered as HANDLER_FAILED.
 */
export function createAttempt({ pool, deps, handlerAttempts, sendToDlq, logger }: AttemptDeps) {
  const publish = (record: RawRecord, reason: DeadLetterReason) =>
    sendToDlq(record, reason).catch((error: unknown) => {
      throw new RetryLater('dead_letter', error);
    });

  return async function attempt(record: RawRecord, state: RetryState): Promise<string> {
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
      if (settlement) return settlement.kind;
    }
    // Out of attempts. A failed publish is retried forever (never skipped); once out, it is not sent again.
    if (!state.deadLettered) {
      await publish(record, { code: 'HANDLER_FAILED', message: state.lastError });
      state.deadLettered = true;
    }
    await recordDeadLettered(pool, deps, record, `handler failed ${state.handlerFailures} times: ${state.lastError}`).catch((error: unknown) => {
      if (isTransient(error)) throw new RetryLater('transient', error);
      logger.error({ err: error, eventId: record.headers['eventId'], sagaId: record.headers['sagaId'] }, 'dead-lettered, but recording it in the inbox failed');
    });
    return 'dead_lettered';
  };
}

const messageOf = (error: unknown) => String((error as Error)?.message ?? error);
