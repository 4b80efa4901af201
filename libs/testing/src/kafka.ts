import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import { dlqTopicOf } from '@choreo/contracts';
import { loadStackConfig } from '@choreo/stack';
import { waitFor } from './wait-for';

/** What a test produces: strings, like Debezium's EventRouter output. */
export interface OutgoingRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly partition?: number;
}

/** What a test reads back, headers decoded to strings. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface TestTopic {
  readonly topic: string;
  readonly dlq: string;
}

/** A kafkajs client on the stack's direct listener, quiet unless something is wrong. */
export function testKafka(clientId = 'choreo-test', brokers: readonly string[] = [loadStackConfig().kafka.bootstrap]): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.ERROR, retry: { retries: 5, initialRetryTime: 100 } });
}

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>, kafka: Kafka = testKafka()): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates topics and waits until every partition has a leader. */
export async function createTopics(names: readonly string[], partitions = 3): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [...names] })).topics.every((t) => t.partitions.every((p) => p.leader >= 0)),
      {
        timeoutMs: 10_000,
        description: `leaders for ${names.join(', ')}`,
      },
    );
  });
}

/**
 * Unique `<prefix>-<random>.events` topics, each with its `.dlq` twin (unless `withDlq: false`,
 * to see what happens while a DLQ is missing), so a test sees only its own records.
 */
export async function createTestTopics(
  opts: { count?: number; partitions?: number; prefix?: string; withDlq?: boolean } = {},
): Promise<TestTopic[]> {
  const topics = Array.from({ length: opts.count ?? 1 }, () => {
    const topic = `${opts.prefix ?? 'it'}-${randomBytes(5).toString('hex')}.events`;
    return { topic, dlq: dlqTopicOf(topic) };
  });
  await createTopics(
    topics.flatMap((t) => (opts.withDlq === false ? [t.topic] : [t.topic, t.dlq])),
    opts.partitions ?? 3,
  );
  return topics;
}

/** Deletes test topics and their DLQ twins (those that exist). */
export async function deleteTopics(topics: readonly TestTopic[]): Promise<void> {
  await withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.flatMap((t) => [t.topic, t.dlq]).filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  });
}

/** Produces records in order (acks from all replicas), one send per call. */
export async function produce(topic: string, records: readonly OutgoingRecord[], kafka: Kafka = testKafka()): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers }, partition: r.partition })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Per partition: the offset the next record will get (the high watermark). */
export async function endOffsets(topic: string): Promise<Map<number, bigint>> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/** Per partition: the group's committed offset, -1 when it has committed none. */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [entry] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
}

/**
 * Waits until the group has committed every partition of `topic` up to its end offset as of
 * the call (an empty partition needs no commit); on timeout, says which partitions lag.
 */
export async function waitForCommittedToEnd(groupId: string, topic: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const ends = await endOffsets(topic);
  await waitFor(
    async () => {
      const committed = await committedOffsets(groupId, topic);
      const behind = [...ends].filter(([p, end]) => end > 0n && committed.get(p) !== end);
      if (behind.length === 0) return true;
      throw new Error(`behind: ${behind.map(([p, end]) => `p${p} committed ${committed.get(p) ?? 'none'} of ${end}`).join(', ')}`);
    },
    { timeoutMs: opts.timeoutMs ?? 15_000, description: `group ${groupId} committed to the end of ${topic}` },
  );
}

/**
 * Reads a topic from the beginning until every partition is read up to its end offset as of
 * the call (and, when given, `until` holds for what was read), or fails at the deadline.
 */
export async function readAllRecords(
  topic: string,
  opts: { timeoutMs?: number; until?: (records: readonly ConsumedRecord[]) => boolean } = {},
): Promise<ConsumedRecord[]> {
  const kafka = testKafka('choreo-test-reader');
  const ends = await endOffsets(topic);
  const read: ConsumedRecord[] = [];
  const reached = new Map<number, bigint>();
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        read.push({
          topic,
          partition,
          offset: message.offset,
          key: str(message.key),
          value: str(message.value),
          headers: stringHeaders(message.headers),
        });
        reached.set(partition, BigInt(message.offset) + 1n);
      },
    });
    const caughtUp = () => [...ends].every(([p, end]) => (reached.get(p) ?? 0n) >= end);
    await waitFor(() => caughtUp() && (opts.until?.(read) ?? true), {
      timeoutMs: opts.timeoutMs ?? 15_000,
      description: `records of ${topic} up to ${JSON.stringify(Object.fromEntries([...ends].map(([p, e]) => [p, e.toString()])))}`,
    });
    return [...read].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await consumer.disconnect();
  }
}

const str = (b: Buffer | null | undefined) => (b ? b.toString('utf8') : null);

export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
