import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { EVENT_CATALOG, encodePayload, topicOf, type ChoreoEvent } from '@choreo/contracts';
import { jsonLiteral, writeAtCommit, type CommitWrite } from '@choreo/platform';
import { childTraceparent, outboxTraceparent } from './trace-context';

/** An event a service wants to publish; the envelope is filled in here. */
export type OutgoingEvent = ChoreoEvent & { readonly aggregateId: string; readonly sagaId: string };

/** What caused these events: the consumed event's envelope, or nothing for an HTTP command. */
export interface Causation {
  readonly causationId?: string | null;
  readonly traceparent?: string | null;
}

/** One outbox row as the commit-time statement takes it; its seq is taken there. */
interface OutboxRow {
  readonly id: string;
  readonly aggregatetype: string;
  readonly aggregateid: string;
  readonly type: string;
  readonly payload: unknown;
  readonly saga_id: string;
  readonly causation_id: string | null;
  readonly occurred_at: string;
  readonly schema_version: number;
  readonly traceparent: string;
}

/** Writes a transaction's outbox rows in one statement: `outbox_append` (createOutboxSchemaV4) says how. */
const OUTBOX_WRITE: CommitWrite<OutboxRow> = {
  sql: (rows) => `SELECT outbox_append(${jsonLiteral(rows.map((row, n) => ({ n, ...row })))})`,
};

/**
 * Appends events to the outbox inside the caller's transaction and returns their event ids,
 * in order. In a transaction opened by `withTransaction` / `withFramedTransaction` the rows
 * are written with its COMMIT, in the same round trip (nothing in a transaction reads its own
 * outbox rows back); in any other, at once. Either way one statement writes them all.
 */
export async function appendToOutbox(
  tx: PoolClient,
  events: readonly OutgoingEvent[],
  causation: Causation = {},
  now: Date = new Date(),
): Promise<readonly string[]> {
  // Without tracing, the rows of one call still share a trace: the cause's, or a new one.
  const untraced = causation.traceparent ?? childTraceparent();
  const rows = events.map((event): OutboxRow => {
    const aggregateType = EVENT_CATALOG[event.type].aggregateType;
    const { version, payload } = encodePayload(event.type, event.payload);
    const id = randomUUID();
    const message = { topic: topicOf(aggregateType), eventType: event.type, eventId: id, sagaId: event.sagaId };
    return {
      id,
      aggregatetype: aggregateType,
      aggregateid: event.aggregateId,
      type: event.type,
      payload,
      saga_id: event.sagaId,
      causation_id: causation.causationId ?? null,
      occurred_at: now.toISOString(),
      schema_version: version,
      traceparent: outboxTraceparent(message, causation.traceparent, untraced),
    };
  });
  if (rows.length > 0 && !writeAtCommit(tx, OUTBOX_WRITE, rows)) await tx.query(OUTBOX_WRITE.sql(rows));
  return rows.map((row) => row.id);
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
