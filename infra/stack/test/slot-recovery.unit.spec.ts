import { describe, expect, it } from 'vitest';
import type { CdcHealth } from '../src/cdc-health';
import { compareOutbox, type OutboxRow } from '../src/outbox-audit';
import { needsRecovery } from '../src/slot-recovery';
import type { PublishedEvent } from '../src/topic-scan';

const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 3, 0, s));
const row = (aggregateid: string, seq: number): OutboxRow => ({
  id: `${aggregateid}-${seq}`,
  aggregatetype: 'payment',
  aggregateid,
  seq,
  saga_id: `saga-${aggregateid}`,
  created_at: at(seq),
});
const onTopic = (aggregateId: string, seq: number): PublishedEvent => ({
  eventId: `${aggregateId}-${seq}`,
  aggregateType: 'payment',
  aggregateId,
  aggregateSeq: seq,
  sagaId: `saga-${aggregateId}`,
});
const seqs = (aggregate_id: string, last_seq: number) => ({ aggregate_type: 'payment', aggregate_id, last_seq });

describe('the outbox audit', () => {
  it('when rows are still in the outbox but on no topic, then they are the unpublished ones and nothing is lost', () => {
    const rows = [row('a', 1), row('a', 2), row('a', 3)];
    const verdict = compareOutbox(rows, [seqs('a', 3)], [onTopic('a', 1)]);
    expect(verdict.unpublishedRows.map((r) => r.id)).toEqual(['a-2', 'a-3']);
    expect(verdict.lost).toEqual([]);
  });

  it('when seqs were swept from the outbox before they reached a topic, then each gap is reported exactly, with its saga', () => {
    // a: 1 published and swept, 2–3 swept unpublished, 4 in the outbox; b: 1–2 published, 3 swept, 4 swept, 5 unpublished.
    const rows = [row('a', 4), row('b', 5)];
    const published = [onTopic('a', 1), onTopic('b', 1), onTopic('b', 2)];
    const verdict = compareOutbox(rows, [seqs('a', 4), seqs('b', 5)], published);
    expect(verdict.lost).toEqual([
      { aggregateType: 'payment', aggregateId: 'a', fromSeq: 2, toSeq: 3, sagaIds: ['saga-a'] },
      { aggregateType: 'payment', aggregateId: 'b', fromSeq: 3, toSeq: 4, sagaIds: ['saga-b'] },
    ]);
    expect(verdict.unpublishedRows.map((r) => r.id)).toEqual(['a-4', 'b-5']);
  });

  it('when the last seqs an aggregate committed are in neither place, then they are lost too', () => {
    const verdict = compareOutbox([], [seqs('c', 3)], [onTopic('c', 1)]);
    expect(verdict.lost).toEqual([{ aggregateType: 'payment', aggregateId: 'c', fromSeq: 2, toSeq: 3, sagaIds: ['saga-c'] }]);
  });

  it('when an aggregate is older than both retentions, then it is not reported (nothing is left to compare)', () => {
    expect(compareOutbox([], [seqs('old', 7)], []).lost).toEqual([]);
  });
});

const health = (over: Partial<CdcHealth>): CdcHealth => ({
  service: 'payment',
  slot: { name: 'choreo_payment', active: true, walStatus: 'reserved', lagBytes: 0, safeWalSizeBytes: null },
  connector: { state: 'RUNNING', tasks: [{ state: 'RUNNING' }] },
  hasOffsets: true,
  problems: [],
  ...over,
});

describe('when a slot needs recovering', () => {
  it.each([
    ['a healthy slot', health({}), false],
    ['a fresh connector that has not created its slot yet', health({ slot: undefined, hasOffsets: false }), false],
    ['a slot that went missing after the connector had streamed', health({ slot: undefined }), true],
    ['an invalidated slot', health({ slot: { ...health({}).slot!, walStatus: 'lost', active: false } }), true],
    ['a slot past max_slot_wal_keep_size, still usable', health({ slot: { ...health({}).slot!, walStatus: 'unreserved' } }), false],
    [
      'a task failed on WAL that is gone',
      health({
        connector: {
          state: 'RUNNING',
          tasks: [{ state: 'FAILED', error: 'DebeziumException: … but this is no longer available on the server' }],
        },
      }),
      true,
    ],
    [
      'a task failed on something else',
      health({ connector: { state: 'RUNNING', tasks: [{ state: 'FAILED', error: 'ConnectException: timeout' }] } }),
      false,
    ],
  ])('%s → %s', (_what, h, expected) => expect(needsRecovery(h)).toBe(expected));
});
