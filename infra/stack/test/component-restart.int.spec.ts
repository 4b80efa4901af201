import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { stackStatus, ensureConnectorsRunning, restartComponent, killComponent, startComponent } from '../src/stack';
import { loadStackConfig } from '../src/stack-config';
import type { ComponentName } from '../src/component';
import { TopicCollector } from './topic-collector';

const cfg = loadStackConfig();

/** Commits one outbox row in the payments DB and waits for it on payment.events. */
async function cdcRoundTrip(): Promise<number> {
  const collector = await TopicCollector.start({
    brokers: cfg.services.payment.kafkaBrokers,
    adminBootstrap: cfg.kafka.bootstrap,
    topics: ['payment.events'],
  });
  try {
    const id = randomUUID();
    const agg = `payment-${id}`;
    const c = new pg.Client({ connectionString: cfg.services.payment.dbUrl });
    await c.connect();
    await c.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, occurred_at)
      VALUES ($1, 'payment', $2, 'PaymentProbed', '{}', 1, now())`,
      [id, agg],
    );
    await c.end();
    const t0 = Date.now();
    await collector.waitForRecord((r) => r.headers['eventId'] === id, `event ${id} after restart`, 90_000);
    return Date.now() - t0;
  } finally {
    await collector.stop();
  }
}

describe('restarting stack components (the chaos helpers)', () => {
  it.each(['toxiproxy', 'kafka', 'connect', 'postgres', 'jaeger'] as ComponentName[])(
    'when %s is restarted, then it is healthy again and CDC still delivers',
    async (name) => {
      const before = (await stackStatus(cfg)).find((s) => s.name === name)!;
      await restartComponent(name, cfg);
      await ensureConnectorsRunning(cfg);
      const after = (await stackStatus(cfg)).find((s) => s.name === name)!;
      expect(after.healthy).toBe(true);
      expect(after.pid).not.toBe(before.pid);
      expect(await cdcRoundTrip()).toBeLessThan(90_000);
    },
    300_000,
  );

  it('when Kafka is killed (SIGKILL) and started again, then CDC delivers what was committed while it was down', async () => {
    await killComponent('kafka', cfg);
    const id = randomUUID();
    const c = new pg.Client({ connectionString: cfg.services.order.dbUrl });
    await c.connect();
    await c.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, occurred_at)
      VALUES ($1, 'order', $2, 'OrderProbed', '{}', 1, now())`,
      [id, `order-${id}`],
    );
    await c.end();
    await startComponent('kafka', cfg);
    await ensureConnectorsRunning(cfg);
    // The row was committed before any consumer existed: read the topic from the beginning.
    expect(await findFromBeginning('order.events', id)).toBe(true);
  }, 300_000);
});

async function findFromBeginning(topic: string, eventId: string): Promise<boolean> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'restart-probe', brokers: [cfg.kafka.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `restart-probe-${randomUUID()}` });
  let found = false;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.['eventId']?.toString() === eventId) found = true;
    },
  });
  const deadline = Date.now() + 90_000;
  while (!found && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return found;
}
