import type { ChoreoEvent, Envelope, EventOf, EventType } from '@choreo/contracts';
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
}

/**
 * What a handler decided. `apply`: it wrote state (and outbox rows) through `tx`. `ignore` and
 * `park`: it wrote nothing that should stay; the runtime rolls back to a savepoint to be sure.
 */
export type Outcome =
  | { readonly kind: 'apply' }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string };

export const applied: Outcome = { kind: 'apply' };
export const ignored = (reason: string): Outcome => ({ kind: 'ignore', reason });
export const parked = (reason: string): Outcome => ({ kind: 'park', reason });

export interface HandlerInput<T extends EventType = EventType> {
  readonly tx: PoolClient;
  readonly event: EventOf<T>;
  readonly envelope: Envelope;
  readonly logger: Logger;
}

export type Handler<T extends EventType = EventType> = (input: HandlerInput<T>) => Promise<Outcome>;

export type HandlerMap = { readonly [T in EventType]?: Handler<T> };

export type { ChoreoEvent };

/** The envelope fields the next events inherit: what caused them and the trace they belong to. */
export const causationOf = (envelope: Envelope) => ({ causationId: envelope.eventId, traceparent: envelope.traceparent ?? null });
