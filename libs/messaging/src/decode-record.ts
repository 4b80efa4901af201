import { ContractViolation, decodeEvent, type DecodedEvent } from '@choreo/contracts';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import type { MessagingMetrics } from './messaging.metrics';
import type { HandlerMap, RawRecord } from './types';

export interface PipelineDeps {
  readonly consumer: string;
  readonly handlers: HandlerMap;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
  readonly prefetch?: BatchPrefetch;
}

/**
 * Reads under their row locks, in one round trip at the start of a batch's transaction (after
 * the saga locks), what the batch's handlers will load, so that each handler's load is answered
 * from memory (`lockAndHold`). Given the events of the batch that have a handler and were not
 * seen before.
 */
export type BatchPrefetch = (tx: PoolClient, events: readonly DecodedEvent[]) => Promise<void>;

/**
 * What became of one record in the pipeline (see `SettlementKind`). `poison` is settled by the
 * caller: it goes to the DLQ, outside any transaction, and counts as `dead_lettered`.
 */
export type Settlement =
  | { readonly kind: 'poison'; readonly error: ContractViolation }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'applied' | 'ignored' | 'parked'; readonly reason?: string; readonly released: number };

/** A record whose envelope and payload passed the contract. */
export interface DecodedRecord {
  readonly record: RawRecord;
  readonly decoded: DecodedEvent;
}

/** Decodes a record against the contract; a violation is poison, anything else is a bug and throws. */
export function decodeRecord(record: RawRecord): DecodedRecord | ContractViolation {
  try {
    return { record, decoded: decodeEvent(record.headers, record.value) };
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
}
