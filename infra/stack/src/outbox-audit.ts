import { withPg } from './pg-client';
import type { ServiceEndpoints, StackConfig } from './stack-config';
import { scanTopics, type PublishedEvent, type TopicMarks } from './topic-scan';

/** Events an aggregate committed that are neither in the outbox any more nor on its topic. */
export interface LostRange {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly sagaIds: readonly string[];
}

export interface OutboxAudit {
  readonly service: string;
  readonly topics: readonly string[];
  /** Rows in the outbox table (its retention window) and the oldest one's commit time. */
  readonly outboxRows: number;
  readonly oldestRowAt: Date | null;
  /** Outbox rows whose eventId is on no topic: what a re-publication must bring. */
  readonly unpublished: { readonly count: number; readonly oldestAt: Date | null; readonly sagaIds: readonly string[] };
  /** Gaps that can no longer be re-published: swept from the outbox before they reached Kafka. */
  readonly lost: readonly LostRange[];
  /** Where the topics' end was when the audit read them; a later scan can start there. */
  readonly marks: TopicMarks;
}

export interface OutboxRow {
  id: string;
  aggregatetype: string;
  aggregateid: string;
  seq: number;
  saga_id: string | null;
  created_at: Date;
}

/** The service's own database, as the superuser (the audit also reads outbox_sequences). */
export function serviceSuperUrl(cfg: StackConfig, svc: ServiceEndpoints): string {
  const u = new URL(cfg.pg.superUrl);
  u.pathname = `/${svc.db}`;
  return u.toString();
}

/**
 * Compares a service's outbox with what its topics hold. Every outbox row is looked up by eventId
 * on the topics (read from their earliest retained offset); per aggregate, every seq up to
 * `outbox_sequences.last_seq` must be on a topic or still in the outbox, or it is lost.
 */
export async function auditOutbox(cfg: StackConfig, svc: ServiceEndpoints): Promise<OutboxAudit> {
  const { rows, sequences } = await withPg(serviceSuperUrl(cfg, svc), async (c) => ({
    rows: (
      await c.query<OutboxRow>(
        'SELECT id, aggregatetype, aggregateid, aggregate_seq::int AS seq, saga_id, created_at FROM outbox ORDER BY created_at',
      )
    ).rows,
    sequences: (await c.query<SequenceRow>('SELECT aggregate_type, aggregate_id, last_seq::int AS last_seq FROM outbox_sequences')).rows,
  }));
  const aggregateTypes = new Set([...rows.map((r) => r.aggregatetype), ...sequences.map((s) => s.aggregate_type)]);
  const topics = [...aggregateTypes].map((t) => `${t}.events`).filter((t) => cfg.topics.events.includes(t));

  const published: PublishedEvent[] = [];
  const marks = await scanTopics(cfg.kafka.bootstrap, topics, (e) => published.push(e));
  const { unpublishedRows, lost } = compareOutbox(rows, sequences, published);
  return {
    service: svc.name,
    topics,
    outboxRows: rows.length,
    oldestRowAt: rows[0]?.created_at ?? null,
    unpublished: {
      count: unpublishedRows.length,
      oldestAt: unpublishedRows[0]?.created_at ?? null,
      sagaIds: [...new Set(unpublishedRows.map((r) => r.saga_id).filter((x): x is string => x !== null))],
    },
    lost,
    marks,
  };
}

export interface SequenceRow {
  aggregate_type: string;
  aggregate_id: string;
  last_seq: number;
}

/**
 * The audit's verdict from what the outbox holds (`rows`, in commit order), what each aggregate
 * committed (`sequences`) and what the topics hold (`published`): the rows no topic has, and the
 * sequence numbers neither has any more.
 */
export function compareOutbox(
  rows: readonly OutboxRow[],
  sequences: readonly SequenceRow[],
  published: readonly PublishedEvent[],
): { unpublishedRows: OutboxRow[]; lost: LostRange[] } {
  const onTopics = new Set(published.map((e) => e.eventId));
  const known = new Map<string, { seqs: Set<number>; sagas: Set<string> }>();
  const note = (type: string, id: string, seq: number, saga: string | null | undefined) => {
    const k = `${type}/${id}`;
    const entry = known.get(k) ?? { seqs: new Set<number>(), sagas: new Set<string>() };
    entry.seqs.add(seq);
    if (saga) entry.sagas.add(saga);
    known.set(k, entry);
  };
  for (const e of published) note(e.aggregateType, e.aggregateId, e.aggregateSeq, e.sagaId);
  for (const r of rows) note(r.aggregatetype, r.aggregateid, r.seq, r.saga_id);

  const lost: LostRange[] = [];
  for (const s of sequences) {
    const entry = known.get(`${s.aggregate_type}/${s.aggregate_id}`);
    if (!entry) continue; // older than both the topic's and the outbox's retention: nothing left to compare
    let first = Infinity;
    for (const seq of entry.seqs) first = Math.min(first, seq);
    let from: number | undefined;
    for (let seq = first; seq <= s.last_seq + 1; seq++) {
      const missing = seq <= s.last_seq && !entry.seqs.has(seq);
      if (missing && from === undefined) from = seq;
      if (!missing && from !== undefined) {
        lost.push({
          aggregateType: s.aggregate_type,
          aggregateId: s.aggregate_id,
          fromSeq: from,
          toSeq: seq - 1,
          sagaIds: [...entry.sagas],
        });
        from = undefined;
      }
    }
  }
  return { unpublishedRows: rows.filter((r) => !onTopics.has(r.id)), lost };
}

/** Ids of outbox rows committed at or after `since` that are not yet on the topics read from `from`. */
export async function notYetPublished(
  cfg: StackConfig,
  svc: ServiceEndpoints,
  audit: OutboxAudit,
  since: Date,
  until: Date,
): Promise<string[]> {
  const ids = await withPg(serviceSuperUrl(cfg, svc), async (c) =>
    (await c.query<{ id: string }>('SELECT id FROM outbox WHERE created_at >= $1 AND created_at <= $2', [since, until])).rows.map(
      (r) => r.id,
    ),
  );
  const seen = new Set<string>();
  await scanTopics(cfg.kafka.bootstrap, audit.topics, (e) => seen.add(e.eventId), { from: audit.marks });
  return ids.filter((id) => !seen.has(id));
}
