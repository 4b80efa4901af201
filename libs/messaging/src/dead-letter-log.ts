import { ALL_DLQ_TOPICS } from '@choreo/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { DLQ_HEADERS, REDRIVE_HEADER } from './dead-letter';
import { readTopics } from './topic-reader';
import type { RawRecord } from './types';

/** A record on a `<topic>.dlq`, with why it is there and where it came from (libs/messaging/README.md). */
export interface DeadLetter {
  /** `<dlq topic>:<partition>:<offset>`: how the CLI and the console name it. */
  readonly id: string;
  readonly record: RawRecord;
  readonly code: string;
  readonly message: string;
  readonly consumer: string;
  readonly at: string;
  readonly origin: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** The envelope headers it carried, if any (poison may have none). */
  readonly eventId?: string;
  readonly eventType?: string;
  readonly aggregate?: string;
  readonly aggregateSeq?: number;
  readonly sagaId?: string;
}

export const deadLetterId = (r: Pick<RawRecord, 'topic' | 'partition' | 'offset'>) => `${r.topic}:${r.partition}:${r.offset}`;

export function toDeadLetter(record: RawRecord): DeadLetter {
  const h = record.headers;
  const seq = h['aggregateSeq'];
  return {
    id: deadLetterId(record),
    record,
    code: h[DLQ_HEADERS.code] ?? 'UNKNOWN',
    message: h[DLQ_HEADERS.message] ?? '',
    consumer: h[DLQ_HEADERS.consumer] ?? '',
    at: h[DLQ_HEADERS.at] ?? new Date(record.timestamp ?? 0).toISOString(),
    origin: {
      topic: h[DLQ_HEADERS.topic] ?? record.topic.replace(/\.dlq$/, ''),
      partition: Number(h[DLQ_HEADERS.partition] ?? 0),
      offset: h[DLQ_HEADERS.offset] ?? '',
    },
    ...(h['eventId'] ? { eventId: h['eventId'] } : {}),
    ...(h['eventType'] ? { eventType: h['eventType'] } : {}),
    ...(h['aggregateType'] ? { aggregate: `${h['aggregateType']} ${h['aggregateId'] ?? record.key ?? ''}` } : {}),
    ...(seq && /^\d+$/.test(seq) ? { aggregateSeq: Number(seq) } : {}),
    ...(h['sagaId'] ? { sagaId: h['sagaId'] } : {}),
  };
}

/** Every record on the DLQ topics (all of them by default), oldest first. */
export async function readDeadLetters(kafka: Kafka, topics: readonly string[] = ALL_DLQ_TOPICS): Promise<DeadLetter[]> {
  return (await readTopics(kafka, topics, { groupPrefix: 'choreo-dlq-reader' })).map(toDeadLetter);
}

/** The record a redrive publishes: the original topic, key, value and headers, without the dlq.* ones, marked as redriven. */
export function redriveMessage(dead: DeadLetter, now = new Date()) {
  const headers = Object.fromEntries(Object.entries(dead.record.headers).filter(([name]) => !name.startsWith('dlq.')));
  return {
    topic: dead.origin.topic,
    message: { key: dead.record.key, value: dead.record.value, headers: { ...headers, [REDRIVE_HEADER]: now.toISOString() } },
  };
}

/** Re-publishes a dead-lettered record to its original topic; its consumer then settles it again. */
export async function redrive(producer: Producer, dead: DeadLetter): Promise<{ topic: string; partition: number; offset: string }> {
  const { topic, message } = redriveMessage(dead);
  const [meta] = await producer.send({ topic, acks: -1, messages: [message] });
  return { topic, partition: meta?.partition ?? -1, offset: meta?.baseOffset ?? '' };
}
