import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { waitFor } from '../src/wait';

export interface CollectedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** Header values as UTF-8 strings; a header sent with a null value stays null. */
  headers: Record<string, string | null>;
}

/**
 * Collects every record appended to `topics` after start() returned: it seeks each partition
 * to the high-water mark read before subscribing, so nothing earlier is replayed and nothing
 * produced after start() is missed.
 */
export class TopicCollector {
  readonly records: CollectedRecord[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(opts: { brokers: string[]; adminBootstrap: string; topics: string[] }): Promise<TopicCollector> {
    const admin = new Kafka({ clientId: 'collector-admin', brokers: [opts.adminBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const starts = await Promise.all(opts.topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
    await admin.disconnect();

    const kafka = new Kafka({ clientId: 'collector', brokers: opts.brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `stack-int-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const collector = new TopicCollector(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: opts.topics, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          headers[k] = v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
        }
        collector.records.push({
          topic,
          partition,
          offset: message.offset,
          headers,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
        });
      },
    });
    // kafkajs accepts seek() only once the group is initialised, which after a broker restart
    // can take a while after run() resolves: seek after the join. Offsets read above are still
    // the floor, so anything produced since then is at or past them.
    await waitFor(async () => joined, { timeoutMs: 30_000, what: 'collector consumer group join' });
    for (const { topic, offsets } of starts) {
      for (const p of offsets) consumer.seek({ topic, partition: p.partition, offset: p.high });
    }
    return collector;
  }

  async waitForRecord(pred: (r: CollectedRecord) => boolean, what: string, timeoutMs = 30_000): Promise<CollectedRecord> {
    return waitFor(async () => this.records.find(pred), { timeoutMs, intervalMs: 50, what });
  }

  matching(pred: (r: CollectedRecord) => boolean): CollectedRecord[] {
    return this.records.filter(pred);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
