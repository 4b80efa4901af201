import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { headersToStrings } from './kafka-client';
import type { RawRecord } from './types';

export interface ReadTopicsOptions {
  /** Group id prefix of the throwaway consumer group (deleted afterwards). */
  readonly groupPrefix?: string;
  readonly timeoutMs?: number;
}

/**
 * Reads every record of `topics` from each partition's earliest offset up to its end offset at
 * the moment it starts, in a throwaway consumer group that commits nothing and is deleted
 * afterwards. For small topics read on demand (the DLQs); it never blocks another consumer.
 */
export async function readTopics(kafka: Kafka, topics: readonly string[], opts: ReadTopicsOptions = {}): Promise<RawRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const pending = new Map<string, bigint>();
    for (const topic of topics) {
      for (const o of await admin.fetchTopicOffsets(topic))
        if (BigInt(o.high) > BigInt(o.low)) pending.set(`${topic}/${o.partition}`, BigInt(o.high));
    }
    if (pending.size === 0) return [];
    const groupId = `${opts.groupPrefix ?? 'choreo-topic-reader'}-${randomBytes(6).toString('hex')}`;
    const records: RawRecord[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topics.join(', ')} took over ${opts.timeoutMs ?? 30_000} ms`)),
          opts.timeoutMs ?? 30_000,
        );
        void consumer.subscribe({ topics: [...topics], fromBeginning: true }).then(
          () =>
            consumer.run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const k = `${batch.topic}/${batch.partition}`;
                const end = pending.get(k);
                for (const m of batch.messages) {
                  if (end === undefined || BigInt(m.offset) >= end) break;
                  records.push({
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: m.offset,
                    key: m.key?.toString('utf8') ?? null,
                    headers: headersToStrings(m.headers),
                    value: m.value?.toString('utf8') ?? null,
                    timestamp: Number(m.timestamp),
                  });
                  if (BigInt(m.offset) + 1n >= end) pending.delete(k);
                }
                if (pending.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            }),
          reject,
        );
      });
      await done;
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
