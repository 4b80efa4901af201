import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { EVENT_CATALOG, encodePayload, type ChoreoEvent, type Envelope } from '@choreo/contracts';
import { childTraceparent } from './trace-context';

/** An event a service wants to publish; the envelope is filled in here. */
export type OutgoingEvent = ChoreoEvent & { readonly aggregateId: string; readonly sagaId: string };

/** What caused these events: the consumed event's envelope, or nothing for an HTTP command. */
export interface Causation {
  readonly causationId?: string | null;
  readonly traceparent?: string | null;
}

export interface AppendedEvent {
  readonly envelope: Envelope;
  readonly payload: unknown;
}

/**
 * Appends events to the outbox inside the caller's transaction. Seqs are taken per aggregate
 * with an upsert whose row lock makes concurrent writers of one aggregate queue behind each
 * other; a rolled-back transaction returns its seqs, so there are no gaps.
 */
export async function appendToOutbox(
  tx: PoolClient,
  events: readonly OutgoingEvent[],
  causation: Causation = {},
  now: Date = new Date(),
): Promise<AppendedEvent[]> {
  const appended: AppendedEvent[] = [];
  const traceparent = childTraceparent(causation.traceparent);
  for (const event of events) {
    const aggregateType = EVENT_CATALOG[event.type].aggregateType;
    const { version, payload } = encodePayload(event.type, event.payload);
    const seq = await nextSeq(tx, aggregateType, event.aggregateId);
    const envelope: Envelope = {
      eventId: randomUUID(),
      eventType: event.type,
      aggregateType,
      aggregateId: event.aggregateId,
      aggregateSeq: seq,
      sagaId: event.sagaId,
      causationId: causation.causationId ?? null,
      occurredAt: now.toISOString(),
      schemaVersion: version,
      traceparent,
    };
    await tx.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, saga_id, causation_id,
                           occurred_at, schema_version, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        envelope.eventId,
        aggregateType,
        envelope.aggregateId,
        envelope.eventType,
        JSON.stringify(payload),
        seq,
        envelope.sagaId,
        envelope.causationId,
        envelope.occurredAt,
        version,
        traceparent,
      ],
    );
    appended.push({ envelope, payload });
  }
  return appended;
}

async function nextSeq(tx: PoolClient, aggregateType: string, aggregateId: string): Promise<number> {
  const { rows } = await tx.query<{ last_seq: string }>(
    `INSERT INTO outbox_sequences (aggregate_type, aggregate_id, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last_seq = outbox_sequences.last_seq + 1
     RETURNING last_seq`,
    [aggregateType, aggregateId],
  );
  return Number(rows[0]!.last_seq);
}
