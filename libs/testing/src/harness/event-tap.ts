import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { ALL_DLQ_TOPICS, ALL_TOPICS } from '@choreo/contracts';
import { stringHeaders, testKafka, withAdmin, type ConsumedRecord } from '../kafka';
import { waitFor } from '../wait-for';

export interface TapRecord extends ConsumedRecord {
  /** When the tap received it (ms since epoch). */
  readonly seenAt: number;
}

/**
 * Records everything published to a set of topics from the moment it is opened: a consumer of
 * its own (random group, no commits) positioned at the end offsets taken at `open`, so nothing
 * published afterwards is missed and nothing older is read. For reading back what a saga
 * published, what reached a DLQ, or the exact records to re-inject.
 */
export class EventTap {
  private readonly seen = new Map<string, TapRecord>();
  private readonly ordered: TapRecord[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async open(
    topics: readonly string[] = [...ALL_TOPICS, ...ALL_DLQ_TOPICS],
    kafka: Kafka = testKafka('choreo-e2e-tap'),
  ): Promise<EventTap> {
    const marks = await withAdmin(
      async (admin) => Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))),
      kafka,
    );
    const consumer = kafka.consumer({ groupId: `e2e-tap-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
    const tap = new EventTap(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) =>
        tap.add({
          topic,
          partition,
          offset: message.offset,
          seenAt: Date.now(),
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: stringHeaders(message.headers),
        }),
    });
    for (const { topic, offsets } of marks) for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: o.high });
    await waitFor(() => joined, { timeoutMs: 30_000, description: 'the event tap to join its consumer group' });
    return tap;
  }

  private add(record: TapRecord): void {
    const id = `${record.topic}/${record.partition}@${record.offset}`;
    if (this.seen.has(id)) return; // a seek can re-read what the first fetch already returned
    this.seen.set(id, record);
    this.ordered.push(record);
  }

  /** Everything seen so far, optionally filtered, in arrival order. */
  records(filter: (r: TapRecord) => boolean = () => true): TapRecord[] {
    return this.ordered.filter(filter);
  }

  /** The records of one saga on the event topics (not the DLQs), in arrival order. */
  sagaEvents(sagaId: string): TapRecord[] {
    return this.records((r) => r.headers['sagaId'] === sagaId && !r.topic.endsWith('.dlq'));
  }

  /** Waits until the records matching `filter` satisfy `enough` (default: at least one), and returns them. */
  async waitForRecords(
    filter: (r: TapRecord) => boolean,
    opts: { timeoutMs?: number; description: string; enough?: (matching: TapRecord[]) => boolean },
  ): Promise<TapRecord[]> {
    const enough = opts.enough ?? ((m: TapRecord[]) => m.length > 0);
    return waitFor(
      () => {
        const matching = this.records(filter);
        return enough(matching) ? matching : undefined;
      },
      { timeoutMs: opts.timeoutMs ?? 30_000, description: opts.description, intervalMs: 50 },
    );
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}
