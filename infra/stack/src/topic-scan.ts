import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { withAdmin } from './kafka-admin';
import { waitFor } from './wait';

/** What the outbox audit needs of a published event: its envelope headers. */
export interface PublishedEvent {
  readonly eventId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateSeq: number;
  readonly sagaId: string | undefined;
}

export type TopicMarks = ReadonlyMap<string, string>;

/** The end offset of every partition of `topics` now: a scan started later reads from there. */
export async function endOffsets(bootstrap: string, topics: readonly string[]): Promise<TopicMarks> {
  return withAdmin(bootstrap, async (admin) => {
    const marks = new Map<string, string>();
    for (const topic of topics) for (const o of await admin.fetchTopicOffsets(topic)) marks.set(`${topic}/${o.partition}`, o.high);
    return marks;
  });
}

/**
 * Reads every record of `topics` from `from` (each partition's earliest offset when omitted) up to
 * the end offsets of the moment it starts, and hands each event's headers to `onEvent`. It uses
 * a throwaway consumer group and deletes it afterwards.
 */
export async function scanTopics(
  bootstrap: string,
  topics: readonly string[],
  onEvent: (e: PublishedEvent) => void,
  opts: { from?: TopicMarks; timeoutMs?: number } = {},
): Promise<TopicMarks> {
  const ends = await endOffsets(bootstrap, topics);
  const starts = opts.from ?? (await earliestOffsets(bootstrap, topics));
  const pending = new Set([...ends].filter(([k, end]) => BigInt(starts.get(k) ?? '0') < BigInt(end)).map(([k]) => k));
  if (pending.size === 0) return ends;
  const groupId = `choreo-outbox-audit-${randomBytes(6).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'choreo-outbox-audit', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, maxBytes: 16 * 1024 * 1024 });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const k = `${batch.topic}/${batch.partition}`;
        const end = BigInt(ends.get(k) ?? '0');
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end) break;
          const h = (name: string) => m.headers?.[name]?.toString();
          const eventId = h('eventId');
          if (eventId) {
            onEvent({
              eventId,
              aggregateType: h('aggregateType') ?? '',
              aggregateId: h('aggregateId') ?? m.key?.toString() ?? '',
              aggregateSeq: Number(h('aggregateSeq') ?? 0),
              sagaId: h('sagaId'),
            });
          }
          if (BigInt(m.offset) + 1n >= end) pending.delete(k);
        }
      },
    });
    // kafkajs takes seek() once the group is initialised.
    await waitFor(async () => joined, { timeoutMs: 30_000, intervalMs: 50, what: 'the audit consumer to join its group' });
    for (const [k, offset] of starts) {
      const at = k.lastIndexOf('/');
      if (pending.has(k)) consumer.seek({ topic: k.slice(0, at), partition: Number(k.slice(at + 1)), offset });
    }
    await waitFor(async () => pending.size === 0, {
      timeoutMs: opts.timeoutMs ?? 120_000,
      intervalMs: 50,
      what: `reading ${topics.join(', ')} to the end`,
    });
    return ends;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await withAdmin(bootstrap, (a) => a.deleteGroups([groupId])).catch(() => undefined);
  }
}

async function earliestOffsets(bootstrap: string, topics: readonly string[]): Promise<TopicMarks> {
  return withAdmin(bootstrap, async (admin) => {
    const marks = new Map<string, string>();
    for (const topic of topics) for (const o of await admin.fetchTopicOffsets(topic)) marks.set(`${topic}/${o.partition}`, o.low);
    return marks;
  });
}
