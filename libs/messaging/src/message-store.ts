import type { Envelope } from '@choreo/contracts';
import type { PoolClient } from 'pg';
import type { RawRecord } from './types';

/** SQL of the consumer-side tables; every function runs inside the caller's transaction. */

export type InboxOutcome = 'applied' | 'ignored' | 'parked' | 'dead_lettered';

/** Serialises all work on one saga within one consumer, so a park and a release cannot pass each other. */
export async function lockSaga(tx: PoolClient, consumer: string, sagaId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${consumer}|${sagaId}`]);
}

export async function inboxOutcome(tx: PoolClient, consumer: string, eventId: string): Promise<InboxOutcome | undefined> {
  const { rows } = await tx.query<{ outcome: InboxOutcome }>('SELECT outcome FROM inbox WHERE consumer = $1 AND event_id = $2', [
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
  outcome: InboxOutcome,
  reason: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, aggregate_seq, saga_id,
                        outcome, reason, source_topic, source_partition, source_offset, source_timestamp, received_at, settled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, now()),
             CASE WHEN $8 = 'parked' THEN NULL ELSE clock_timestamp() END)`,
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

export async function settleInbox(tx: PoolClient, consumer: string, eventId: string, outcome: InboxOutcome, reason: string | null) {
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

export async function advanceSeq(tx: PoolClient, consumer: string, envelope: Envelope): Promise<void> {
  await tx.query(
    `INSERT INTO consumer_sequences (consumer, aggregate_type, aggregate_id, last_seq) VALUES ($1, $2, $3, $4)
     ON CONFLICT (consumer, aggregate_type, aggregate_id) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
    [consumer, envelope.aggregateType, envelope.aggregateId, envelope.aggregateSeq],
  );
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

export async function park(tx: PoolClient, consumer: string, parkKey: string, record: RawRecord, eventId: string, reason: string) {
  await tx.query(
    `INSERT INTO parked_events (consumer, event_id, park_key, reason, headers, value, source_topic, source_partition, source_offset)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (consumer, event_id) DO UPDATE SET reason = EXCLUDED.reason`,
    [consumer, eventId, parkKey, reason, JSON.stringify(record.headers), record.value, record.topic, record.partition, record.offset],
  );
}

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
