import { topicOf } from '@choreo/contracts';
import { CONSUMERS_OF, type SystemSnapshot } from './snapshot';
import { Findings, groupBy, type Violation } from './violation';

/** Per aggregate, the state-changing events a consumer may emit at most once. */
const ONCE = new Set([
  'OrderPlaced',
  'OrderConfirmed',
  'OrderCancelled',
  'InventoryReserved',
  'InventoryRejected',
  'InventoryReleased',
  'InventoryCommitted',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentRefunded',
  'PaymentCaptured',
]);

/**
 * Invariant 5 (docs/architecture.md §5): every committed outbox row reached its topic and was applied (or knowingly ignored)
 * exactly once by each service that consumes it; seqs have no gaps; no event was dead-lettered;
 * no aggregate emitted the same step twice (an effect applied twice).
 */
export function checkDelivery(s: SystemSnapshot): Violation[] {
  const f = new Findings('lostEvent');
  const published = new Set(s.published.map((p) => `${p.topic}|${p.eventId}`));
  const inbox = new Map(s.inbox.map((i) => [`${i.consumer}|${i.eventId}`, i]));
  const lastSeq = new Map(s.sequences.map((q) => [`${q.consumer}|${q.aggregateType}|${q.aggregateId}`, q.lastSeq]));

  for (const row of s.outbox) {
    const subject = `event ${row.eventId}`;
    const what = `${row.type} #${row.seq} of ${row.aggregateType} ${row.aggregateId}`;
    const topic = topicOf(row.aggregateType);
    f.expect(published.has(`${topic}|${row.eventId}`), subject, () => `${what} committed in the ${row.db} outbox never reached ${topic}`);
    for (const consumer of CONSUMERS_OF[row.aggregateType]) {
      const seen = inbox.get(`${consumer}|${row.eventId}`);
      if (!f.expect(seen !== undefined, subject, () => `${what} never reached ${consumer}'s inbox`)) continue;
      f.expect(
        seen!.outcome === 'applied' || seen!.outcome === 'ignored',
        subject,
        () => `${what} is ${seen!.outcome} in ${consumer}'s inbox${seen!.reason ? `: ${seen!.reason}` : ''}`,
      );
    }
  }

  for (const [key, rows] of groupBy(s.outbox, (r) => `${r.aggregateType}|${r.aggregateId}`)) {
    const [aggregateType, aggregateId] = key.split('|') as [keyof typeof CONSUMERS_OF, string];
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    f.expect(
      seqs.every((seq, i) => seq === i + 1),
      `${aggregateType} ${aggregateId}`,
      () => `outbox seqs are not 1..n: ${seqs.join(',')}`,
    );
    for (const consumer of CONSUMERS_OF[aggregateType]) {
      const last = lastSeq.get(`${consumer}|${key}`) ?? 0;
      f.expect(last === seqs.length, `${aggregateType} ${aggregateId}`, () => `${consumer} applied up to seq ${last} of ${seqs.length}`);
    }
    for (const [type, same] of groupBy(rows, (r) => r.type)) {
      if (ONCE.has(type)) f.expect(same.length === 1, `${aggregateType} ${aggregateId}`, () => `${type} emitted ${same.length} times`);
    }
  }

  // A record redriven after a fix and then settled by the consumer that dead-lettered it is no longer lost.
  const settled = new Set(
    s.inbox.filter((r) => r.outcome === 'applied' || r.outcome === 'ignored').map((r) => `${r.consumer}|${r.eventId}`),
  );
  for (const d of s.deadLetters) {
    if (d.consumer && d.eventId && settled.has(`${d.consumer}|${d.eventId}`)) continue;
    f.add(`event ${d.eventId ?? 'unknown'}`, `dead-lettered to ${d.topic} (saga ${d.sagaId ?? '?'}): ${d.reason}`);
  }
  return f.list;
}
