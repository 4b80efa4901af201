import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_CATALOG, type EventType, type PayloadOf } from '@choreo/contracts';
import type { OutgoingRecord } from './kafka';

export interface EventRecordInput<T extends EventType> {
  readonly type: T;
  readonly payload: PayloadOf<T>;
  readonly aggregateId: string;
  readonly seq: number;
  /** Defaults to the aggregate id (true of order, reservation and payment events). */
  readonly sagaId?: string;
  readonly eventId?: string;
  readonly causationId?: string | null;
  readonly occurredAt?: Date;
  readonly schemaVersion?: number;
  readonly partition?: number;
}

/**
 * A record exactly as Debezium's EventRouter emits one from an outbox row: key = aggregate id,
 * value = the JSON payload, every envelope field a string header.
 */
export function eventRecord<T extends EventType>(input: EventRecordInput<T>): OutgoingRecord & { eventId: string } {
  const eventId = input.eventId ?? randomUUID();
  const headers: Record<string, string> = {
    eventId,
    eventType: input.type,
    aggregateType: EVENT_CATALOG[input.type].aggregateType,
    aggregateId: input.aggregateId,
    aggregateSeq: String(input.seq),
    sagaId: input.sagaId ?? input.aggregateId,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    schemaVersion: String(input.schemaVersion ?? EVENT_CATALOG[input.type].version),
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
  };
  if (input.causationId) headers['causationId'] = input.causationId;
  return { eventId, key: input.aggregateId, value: JSON.stringify(input.payload), headers, partition: input.partition };
}

/** A record with raw parts, for poison: anything goes. */
export function rawRecord(key: string | null, value: string | null, headers: Record<string, string>, partition?: number): OutgoingRecord {
  return { key, value, headers, partition };
}
