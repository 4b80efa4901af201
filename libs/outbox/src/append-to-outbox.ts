import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { EVENT_CATALOG, encodePayload, topicOf, type ChoreoEvent, type Envelope } from '@choreo/contracts';
import { childTraceparent, inOutboxSpan } from './trace-context';

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
 * other; a rolled-back transaction returns its seqs, so there are no gaps. One round trip per event.
 */
export async function appendToOutbox(
  tx: PoolClient,
  events: readonly OutgoingEvent[],
  causation: Causation = {},
  now: Date = new Date(),
): Promise<AppendedEvent[]> {
  const appended: AppendedEvent[] = [];
  // Without tracing, the rows of one call still share a trace: the cause's, or a new one.
  const untraced = causation.traceparent ?? childTraceparent();
  for (const event of events) {
    const aggregateType = EVENT_CATALOG[event.type].aggregateType;
    const { version, payload } = encodePayload(event.type, event.payload);
    const eventId = randomUUID();
    const occurredAt = now.toISOString();
    const message = { topic: topicOf(aggregateType), eventType: event.type, eventId, sagaId: event.sagaId };
    const { seq, traceparent } = await inOutboxSpan(message, causation.traceparent, untraced, async (traceparent) => {
      // The seq and the row in one round trip: the upsert's row lock queues concurrent writers
      // of one aggregate, and a rollback returns the seq with the row.
      const { rows } = await tx.query<{ aggregate_seq: string }>({
        name: 'choreo.outbox.append',
        text: `WITH seq AS (
           INSERT INTO outbox_sequences (aggregate_type, aggregate_id, last_seq) VALUES ($2, $3, 1)
           ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last_seq = outbox_sequences.last_seq + 1
           RETURNING last_seq
         )
         INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, saga_id, causation_id,
                             occurred_at, schema_version, traceparent)
         SELECT $1, $2, $3, $4, $5, seq.last_seq, $6, $7, $8, $9, $10 FROM seq
         RETURNING aggregate_seq`,
        values: [
          eventId,
          aggregateType,
          event.aggregateId,
          event.type,
          JSON.stringify(payload),
          event.sagaId,
          causation.causationId ?? null,
          occurredAt,
          version,
          traceparent,
        ],
      });
      return { seq: Number(rows[0]!.aggregate_seq), traceparent };
    });
    const envelope: Envelope = {
      eventId,
      eventType: event.type,
      aggregateType,
      aggregateId: event.aggregateId,
      aggregateSeq: seq,
      sagaId: event.sagaId,
      causationId: causation.causationId ?? null,
      occurredAt,
      schemaVersion: version,
      traceparent,
    };
    appended.push({ envelope, payload });
  }
  return appended;
}

/**
 * The `traceparent` of the last event an aggregate published, while its row is in the outbox:
 * a change made outside any request or event (a timer) continues that trace.
 */
export async function lastTraceparent(tx: PoolClient, aggregateType: string, aggregateId: string): Promise<string | null> {
  const { rows } = await tx.query<{ traceparent: string | null }>({
    name: 'choreo.outbox.last-traceparent',
    text: `SELECT traceparent FROM outbox WHERE aggregatetype = $1 AND aggregateid = $2 ORDER BY aggregate_seq DESC LIMIT 1`,
    values: [aggregateType, aggregateId],
  });
  return rows[0]?.traceparent ?? null;
}
