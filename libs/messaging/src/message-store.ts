import type { Envelope } from '@choreo/contracts';
import { escapeLiteral, jsonLiteral } from '@choreo/platform';
import type { PoolClient } from 'pg';
import type { RawRecord, StoredSettlement } from './types';

/**
 * SQL of the consumer-side tables; every function runs inside the caller's transaction. The
 * statements on every record's path are named, so each connection parses and plans them once;
 * a batch's opening and closing statements go as literals with its BEGIN and COMMIT instead
 * (`withFramedTransaction`), two round trips fewer per batch.
 */

/**
 * Serialises all work on one saga within one consumer, so a park and a release cannot pass each
 * other. `choreo_lock_sagas` (createMessagingSchemaV4) is the one definition of a saga's lock
 * key; a batch takes all of its sagas' locks with it, in ascending key order
 * (`choreo_open_batch`), so two transactions can never wait on each other in a cycle.
 */
export async function lockSaga(tx: PoolClient, consumer: string, sagaId: string): Promise<void> {
  await tx.query({ name: 'choreo.messaging.lock-saga', text: 'SELECT choreo_lock_sagas($1, ARRAY[$2])', values: [consumer, sagaId] });
}

/** What the consumer already knows about a batch, read in one round trip under the saga locks. */
export interface BatchKnowledge {
  /** Event ids already in the inbox: redeliveries. */
  readonly seen: Set<string>;
  /** Those of them recorded as dead-lettered: a redriven copy (REDRIVE_HEADER) of one is settled again. */
  readonly deadLettered: Set<string>;
  /** Last seq applied or ignored per source aggregate (`seqKey`). */
  readonly seqs: Map<string, number>;
  /** Sagas with events parked right now. */
  readonly parkedSagas: Set<string>;
}

export const seqKey = (aggregateType: string, aggregateId: string) => `${aggregateType}\u0000${aggregateId}`;

/**
 * The opening statement of a batch's transaction (`withFramedTransaction`): the saga locks of
 * the batch, then one read of what the consumer already knows, taken after the locks are
 * granted (`choreo_open_batch`, createMessagingSchemaV4). Values go in as literals;
 * `batchKnowledge` reads its result.
 */
export function openBatchSql(consumer: string, envelopes: readonly Envelope[]): string {
  const c = escapeLiteral(consumer);
  const sagas = [...new Set(envelopes.map((e) => e.sagaId))];
  const eventIds = jsonLiteral(envelopes.map((e) => e.eventId));
  const aggregates = jsonLiteral(envelopes.map((e) => [e.aggregateType, e.aggregateId]));
  return `SELECT * FROM choreo_open_batch(${c}, ${eventIds}, ${aggregates}, ${jsonLiteral(sagas)})`;
}

/** What `openBatchSql`'s read returned, for the batch's `envelopes`. */
export function batchKnowledge(result: { readonly rows: readonly unknown[] }, envelopes: readonly Envelope[]): BatchKnowledge {
  const row = result.rows[0] as { seen: string[]; dead: string[]; seqs: [string, string, string][]; parked: string[] };
  // An aggregate of the batch with no row yet has applied nothing: its last seq is 0.
  const seqs = new Map(envelopes.map((e) => [seqKey(e.aggregateType, e.aggregateId), 0]));
  for (const [type, id, seq] of row.seqs) seqs.set(seqKey(type, id), Number(seq));
  return { seen: new Set(row.seen), deadLettered: new Set(row.dead), seqs, parkedSagas: new Set(row.parked) };
}

/** An inbox row of an event applied or ignored in a batch, written at the end of it. */
export interface SettledInboxRow {
  readonly envelope: Envelope;
  readonly record: RawRecord;
  /** `parked`: the event is also one of the batch's parks. */
  readonly outcome: 'applied' | 'ignored' | 'parked';
  readonly reason: string | null;
}

/** An event the batch parked and did not release: its `parked_events` row. */
export interface ParkedRecord {
  readonly sagaId: string;
  readonly eventId: string;
  readonly record: RawRecord;
  readonly reason: string;
}

/**
 * The one statement that writes a batch's inbox rows, the events it left parked and its
 * aggregates' advanced seqs ('' when there is nothing to write; `choreo_settle_batch`,
 * createMessagingSchemaV4), with its values as literals:
 * it goes in the same round trip as the COMMIT (`withFramedTransaction`). `settled_at` (not for
 * parked events) and `parked_at` are taken then, just before the commit; parks in the order given.
 */
export function batchSettlementsSql(
  consumer: string,
  rows: readonly SettledInboxRow[],
  seqs: readonly { readonly aggregateType: string; readonly aggregateId: string; readonly seq: number }[],
  parks: readonly ParkedRecord[] = [],
): string {
  if (rows.length === 0 && seqs.length === 0 && parks.length === 0) return '';
  const inbox = rows.map(({ envelope: e, record: r, outcome, reason }) => ({
    event_id: e.eventId,
    event_type: e.eventType,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    aggregate_seq: e.aggregateSeq,
    saga_id: e.sagaId,
    outcome,
    reason,
    source_topic: r.topic,
    source_partition: r.partition,
    source_offset: r.offset,
    source_timestamp: r.timestamp === undefined ? null : new Date(r.timestamp).toISOString(),
    received_at: new Date(r.receivedAt ?? Date.now()).toISOString(),
  }));
  const advanced = seqs.map((s) => ({ aggregate_type: s.aggregateType, aggregate_id: s.aggregateId, last_seq: s.seq }));
  const parked = parks.map(({ sagaId, eventId, record: r, reason }, n) => ({
    n,
    event_id: eventId,
    park_key: sagaId,
    reason,
    headers: r.headers,
    value: r.value,
    source_topic: r.topic,
    source_partition: r.partition,
    source_offset: r.offset,
  }));
  return `SELECT choreo_settle_batch(${escapeLiteral(consumer)}, ${jsonLiteral(inbox)}, ${jsonLiteral(advanced)}, ${jsonLiteral(parked)})`;
}

export async function inboxOutcome(tx: PoolClient, consumer: string, eventId: string): Promise<StoredSettlement | undefined> {
  const { rows } = await tx.query<{ outcome: StoredSettlement }>('SELECT outcome FROM inbox WHERE consumer = $1 AND event_id = $2', [
    consumer,
    eventId,
  ]);
  return rows[0]?.outcome;
}

export async function recordInbox(
  tx: PoolClient,
  consumer: string,
  envelope: Envelope,
  record: RawRecord,
  outcome: StoredSettlement,
  reason: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, aggregate_seq, saga_id,
                        outcome, reason, source_topic, source_partition, source_offset, source_timestamp, received_at, settled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, now()),
             CASE WHEN $8 = 'parked' THEN NULL ELSE clock_timestamp() END)
     ON CONFLICT (consumer, event_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason,
             source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset,
             source_timestamp = EXCLUDED.source_timestamp, received_at = EXCLUDED.received_at, settled_at = EXCLUDED.settled_at`,
    [
      consumer,
      envelope.eventId,
      envelope.eventType,
      envelope.aggregateType,
      envelope.aggregateId,
      envelope.aggregateSeq,
      envelope.sagaId,
      outcome,
      reason,
      record.topic,
      record.partition,
      record.offset,
      record.timestamp === undefined ? null : new Date(record.timestamp),
      record.receivedAt === undefined ? null : new Date(record.receivedAt),
    ],
  );
}

export async function settleInbox(tx: PoolClient, consumer: string, eventId: string, outcome: StoredSettlement, reason: string | null) {
  await tx.query('UPDATE inbox SET outcome = $3, reason = $4, settled_at = clock_timestamp() WHERE consumer = $1 AND event_id = $2', [
    consumer,
    eventId,
    outcome,
    reason,
  ]);
}

export async function lastSeq(tx: PoolClient, consumer: string, envelope: Envelope): Promise<number> {
  const { rows } = await tx.query<{ last_seq: string }>(
    `SELECT last_seq FROM consumer_sequences WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = $3 FOR UPDATE`,
    [consumer, envelope.aggregateType, envelope.aggregateId],
  );
  return rows[0] ? Number(rows[0].last_seq) : 0;
}

export interface ParkedRow {
  readonly event_id: string;
  readonly headers: Record<string, string>;
  readonly value: string | null;
  readonly source_topic: string;
  readonly source_partition: number;
  readonly source_offset: string;
  readonly reason: string;
  readonly parked_at: Date;
  readonly park_key: string;
}

export const toRecord = (row: ParkedRow): RawRecord => ({
  topic: row.source_topic,
  partition: row.source_partition,
  offset: String(row.source_offset),
  key: row.headers['aggregateId'] ?? null,
  headers: row.headers,
  value: row.value,
});

export async function parkedFor(tx: PoolClient, consumer: string, parkKey: string): Promise<ParkedRow[]> {
  const { rows } = await tx.query<ParkedRow>(
    `SELECT * FROM parked_events WHERE consumer = $1 AND park_key = $2 ORDER BY parked_at, source_offset`,
    [consumer, parkKey],
  );
  return rows;
}

export async function unpark(tx: PoolClient, consumer: string, eventId: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM parked_events WHERE consumer = $1 AND event_id = $2', [consumer, eventId]);
  return rowCount === 1;
}
