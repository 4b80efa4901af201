import { ALL_DLQ_TOPICS } from '@choreo/contracts';
import { readDeadLetters, redrive, redriveMessage, type DeadLetter } from '@choreo/messaging';
import type { Kafka, Producer } from 'kafkajs';

/** The .dlq topics as the console shows them: each record with the plan a redrive would carry out. */
export class DeadLetters {
  private producer: Promise<Producer> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async list() {
    return (await readDeadLetters(this.kafka, ALL_DLQ_TOPICS)).map(view);
  }

  async find(id: string): Promise<DeadLetter | undefined> {
    const topic = id.split(':')[0] ?? '';
    if (!ALL_DLQ_TOPICS.includes(topic)) return undefined;
    return (await readDeadLetters(this.kafka, [topic])).find((d) => d.id === id);
  }

  async redrive(dead: DeadLetter) {
    this.producer ??= (async () => {
      const p = this.kafka.producer({ allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })();
    return redrive(await this.producer, dead);
  }

  async close(): Promise<void> {
    if (this.producer) await (await this.producer).disconnect();
  }
}

const view = (d: DeadLetter) => {
  const { record, ...rest } = d;
  const plan = redriveMessage(d);
  return { ...rest, key: record.key, value: record.value, redrive: { topic: plan.topic, key: plan.message.key } };
};
