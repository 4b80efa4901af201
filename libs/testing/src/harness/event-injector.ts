import type { Kafka, Producer } from 'kafkajs';
import { EVENT_CATALOG, topicOf, type EventType } from '@choreo/contracts';
import { eventRecord, type EventRecordInput } from '../event-records';
import { testKafka, type ConsumedRecord, type OutgoingRecord } from '../kafka';

/**
 * Publishes onto the real topics, as Debezium would: key = aggregate id, value = the JSON
 * payload, the envelope as string headers (plus the `id` header Debezium's EventRouter adds).
 * For duplicate, out-of-order and poison scenarios; it bypasses every outbox on purpose.
 */
export class EventInjector {
  private producer: Producer | undefined;

  constructor(private readonly kafka: Kafka = testKafka('choreo-e2e-injector')) {}

  /** Publishes well-formed events (each to its aggregate's topic) and returns their eventIds. */
  async inject<T extends EventType>(...events: EventRecordInput<T>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const input of events) {
      const record = eventRecord(input);
      ids.push(record.eventId);
      await this.send(topicOf(EVENT_CATALOG[input.type].aggregateType), [
        { ...record, headers: { id: record.eventId, ...record.headers } },
      ]);
    }
    return ids;
  }

  /** Anything at all onto a topic (poison: not JSON, unknown types, missing headers …). */
  async injectRaw(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    await this.send(topic, records);
  }

  /** Publishes records read from a topic again, byte for byte: same topic, partition, key, value and headers. */
  async republish(records: readonly ConsumedRecord[]): Promise<void> {
    for (const r of records) await this.send(r.topic, [{ key: r.key, value: r.value, headers: r.headers, partition: r.partition }]);
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }

  private async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
      await this.producer.connect();
    }
    await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers }, partition: r.partition })),
    });
  }
}
