import { dlqTopicOf } from '@choreo/contracts';
import type { Producer } from 'kafkajs';
import type { RawRecord } from './types';

export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
}

/** Header names a DLQ record carries besides the original headers. */
export const DLQ_HEADERS = {
  code: 'dlq.error.code',
  message: 'dlq.error.message',
  topic: 'dlq.origin.topic',
  partition: 'dlq.origin.partition',
  offset: 'dlq.origin.offset',
  consumer: 'dlq.consumer',
  at: 'dlq.at',
} as const;

/**
 * Publishes the original record, untouched, to `<topic>.dlq` with why and where from.
 * Waits for every in-sync replica so the caller may commit the offset afterwards.
 */
export async function deadLetter(producer: Producer, consumer: string, record: RawRecord, reason: DeadLetterReason): Promise<string> {
  const topic = dlqTopicOf(record.topic);
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          [DLQ_HEADERS.code]: reason.code,
          [DLQ_HEADERS.message]: reason.message.slice(0, 2_000),
          [DLQ_HEADERS.topic]: record.topic,
          [DLQ_HEADERS.partition]: String(record.partition),
          [DLQ_HEADERS.offset]: record.offset,
          [DLQ_HEADERS.consumer]: consumer,
          [DLQ_HEADERS.at]: new Date().toISOString(),
        },
      },
    ],
  });
  return topic;
}

/**
 * Set by a redrive (`npm run dlq -- redrive`, the console) on the copy it re-publishes to the
 * original topic: a consumer that dead-lettered this eventId settles it again instead of
 * absorbing it as a duplicate. A plain redelivery of a dead-lettered record stays absorbed.
 */
export const REDRIVE_HEADER = 'dlq.redriven.at';
