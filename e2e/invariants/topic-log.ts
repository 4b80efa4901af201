import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { ALL_DLQ_TOPICS, ALL_TOPICS } from '@choreo/contracts';
import { loadStackConfig } from '@choreo/stack';
import { stringHeaders, waitFor, withAdmin, type ConsumedRecord } from '@choreo/testing';

export type TopicMarks = ReadonlyMap<string, bigint>;
const key = (topic: string, partition: number) => `${topic}/${partition}`;

/** A client on the broker's direct listener that stays quiet: a broker restart is what these runs are about. */
export const quietKafka = (clientId: string): Kafka =>
  new Kafka({
    clientId,
    brokers: [loadStackConfig().kafka.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });

/** The next offset of every partition of `topics` right now. */
export async function markTopics(topics: readonly string[], kafka: Kafka = quietKafka('choreo-chaos-marks')): Promise<Map<string, bigint>> {
  return withAdmin(async (admin) => {
    const marks = new Map<string, bigint>();
    for (const topic of topics) for (const o of await admin.fetchTopicOffsets(topic)) marks.set(key(topic, o.partition), BigInt(o.high));
    return marks;
  }, kafka);
}

/**
 * Everything published to the event and DLQ topics since it was opened, on the broker's direct
 * listener (no proxy, so a fault on an app's link never blinds it). It commits to a group of
 * its own, so when kafkajs restarts it (a broker restart) it resumes where it was instead of
 * jumping to the end; records read twice are kept once. `catchUp()` returns once every
 * partition has been read up to the end offsets of that moment.
 */
export class TopicLog {
  private readonly records = new Map<string, ConsumedRecord>();
  private readonly reached = new Map<string, bigint>();

  private constructor(
    private readonly consumer: Consumer,
    readonly marks: TopicMarks,
    readonly topics: readonly string[],
  ) {}

  static async open(
    topics: readonly string[] = [...ALL_TOPICS, ...ALL_DLQ_TOPICS],
    kafka: Kafka = quietKafka('choreo-chaos-log'),
  ): Promise<TopicLog> {
    const marks = await markTopics(topics, kafka);
    const consumer = kafka.consumer({
      groupId: `chaos-log-${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 200,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000, restartOnFailure: async () => true },
    });
    const log = new TopicLog(consumer, marks, topics);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachMessage: async ({ topic, partition, message }) => {
        const mark = marks.get(key(topic, partition)) ?? 0n;
        const offset = BigInt(message.offset);
        if (offset >= mark) {
          log.records.set(`${key(topic, partition)}@${message.offset}`, {
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? null,
            headers: stringHeaders(message.headers),
          });
        }
        const next = offset + 1n;
        if (next > (log.reached.get(key(topic, partition)) ?? 0n)) log.reached.set(key(topic, partition), next);
      },
    });
    for (const [k, offset] of marks) {
      const at = k.lastIndexOf('/');
      consumer.seek({ topic: k.slice(0, at), partition: Number(k.slice(at + 1)), offset: offset.toString() });
    }
    return log;
  }

  /** Waits until everything published before this call has been read. */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const ends = await markTopics(this.topics);
    await waitFor(() => [...ends].every(([k, end]) => end <= (this.marks.get(k) ?? 0n) || (this.reached.get(k) ?? 0n) >= end), {
      timeoutMs,
      intervalMs: 100,
      description: 'the topic log to read up to the end offsets',
    });
  }

  all(filter: (r: ConsumedRecord) => boolean = () => true): ConsumedRecord[] {
    return [...this.records.values()].filter(filter);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
