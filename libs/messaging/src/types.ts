import type { ChoreoEvent, Envelope, EventType, PayloadOf } from '@choreo/contracts';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';

/** A Kafka record reduced to what the runtime needs; headers already decoded to strings. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: string | null;
  /** The Kafka record's timestamp (ms): when Debezium's producer appended it. */
  readonly timestamp?: number;
  /** When this consumer fetched it (ms). */
  readonly receivedAt?: number;
}

/**
 * What a handler decided. `apply`: it wrote state (and outbox rows) through `tx`. `ignore` and
 * `park`: it wrote nothing that should stay; the runtime rolls back to a savepoint to be sure,
 * unless the handler is declared with `decidingHandlers` (it writes only on `apply`).
 */
export type Outcome =
  { readonly kind: 'apply' } | { readonly kind: 'ignore'; readonly reason: string } | { readonly kind: 'park'; readonly reason: string };

export const applied: Outcome = { kind: 'apply' };

/**
 * What became of a record (the runtime's word; a handler's answer is an `Outcome`): its
 * handler's outcome in the past tense, or `duplicate` (seen before, nothing ran), or
 * `dead_lettered` (poison, or out of attempts). The inbox stores every one but `duplicate`.
 */
export type SettlementKind = 'applied' | 'ignored' | 'parked' | 'duplicate' | 'dead_lettered';
export type StoredSettlement = Exclude<SettlementKind, 'duplicate'>;
export const ignored = (reason: string): Outcome => ({ kind: 'ignore', reason });
export const parked = (reason: string): Outcome => ({ kind: 'park', reason });

/**
 * The same type as contracts' `EventOf<T>`, written as an indexed mapped type so TypeScript sees it
 * vary with T: a handler written for any event then fits every slot of a `HandlerMap`.
 */
type EventFor<T extends EventType> = { [K in EventType]: { readonly type: K; readonly payload: PayloadOf<K> } }[T];

export interface HandlerInput<T extends EventType = EventType> {
  readonly tx: PoolClient;
  readonly event: EventFor<T>;
  readonly envelope: Envelope;
  readonly logger: Logger;
}

export type Handler<T extends EventType = EventType> = (input: HandlerInput<T>) => Promise<Outcome>;

export type HandlerMap = { readonly [T in EventType]?: Handler<T> };

const DECIDES_BEFORE_WRITING = Symbol('choreo.decidesBeforeWriting');

/**
 * Declares that every handler of `handlers` writes only when it returns `apply`: it reads,
 * decides, and writes only what it applies, as a decider does (`decideAndStore`). The runtime
 * then runs these handlers without the savepoint: an ignore or a park has nothing to roll back,
 * and each handled event costs one round trip less. A handler that writes and then ignores or
 * parks must not be declared so. Returns the handlers marked; the functions given stay as they are.
 */
export function decidingHandlers(handlers: HandlerMap): HandlerMap {
  return Object.fromEntries(
    Object.entries(handlers).map(([type, handler]) => [
      type,
      Object.assign((input: HandlerInput) => (handler as Handler)(input), { [DECIDES_BEFORE_WRITING]: true }),
    ]),
  ) as HandlerMap;
}

/** Whether a handler was declared with `decidingHandlers`. */
export const decidesBeforeWriting = (handler: Handler): boolean =>
  (handler as Handler & { [DECIDES_BEFORE_WRITING]?: boolean })[DECIDES_BEFORE_WRITING] === true;

export type { ChoreoEvent };

/** The envelope fields the next events inherit: what caused them and the trace they belong to. */
export const causationOf = (envelope: Envelope) => ({ causationId: envelope.eventId, traceparent: envelope.traceparent ?? null });
