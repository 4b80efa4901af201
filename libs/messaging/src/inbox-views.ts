import type { Pool } from 'pg';

/** One inbox row as an operator reads it (the console's saga story, the admin endpoints). */
export interface InboxEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateSeq: number;
  readonly outcome: 'applied' | 'ignored' | 'parked' | 'dead_lettered';
  readonly reason: string | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly receivedAt: string;
  readonly settledAt: string | null;
}

export interface ParkedEntry {
  readonly eventId: string;
  readonly sagaId: string;
  readonly eventType: string;
  readonly reason: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly parkedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What `consumer` recorded of one saga's events, in the order it received them. */
export async function inboxOfSaga(pool: Pool, consumer: string, sagaId: string, limit = 500): Promise<InboxEntry[]> {
  const { rows } = await pool.query(
    `SELECT event_id, event_type, aggregate_type, aggregate_id, aggregate_seq, outcome, reason,
            source_topic, source_partition, source_offset, received_at, settled_at
       FROM inbox WHERE consumer = $1 AND saga_id = $2 ORDER BY received_at, source_offset LIMIT $3`,
    [consumer, sagaId, limit],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    eventType: r.event_type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    aggregateSeq: Number(r.aggregate_seq),
    outcome: r.outcome,
    reason: r.reason,
    topic: r.source_topic,
    partition: r.source_partition,
    offset: String(r.source_offset),
    receivedAt: iso(r.received_at)!,
    settledAt: iso(r.settled_at),
  }));
}

/** Events `consumer` holds parked right now, oldest first. */
export async function parkedEvents(pool: Pool, consumer: string, limit = 500): Promise<ParkedEntry[]> {
  const { rows } = await pool.query(
    `SELECT event_id, park_key, headers->>'eventType' AS event_type, reason, source_topic, source_partition, source_offset, parked_at
       FROM parked_events WHERE consumer = $1 ORDER BY parked_at LIMIT $2`,
    [consumer, limit],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    sagaId: r.park_key,
    eventType: r.event_type ?? '',
    reason: r.reason,
    topic: r.source_topic,
    partition: r.source_partition,
    offset: String(r.source_offset),
    parkedAt: iso(r.parked_at)!,
  }));
}
