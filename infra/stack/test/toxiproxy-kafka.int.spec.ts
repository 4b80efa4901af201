import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdmin } from '../src/kafka-admin';
import { loadStackConfig } from '../src/stack-config';
import { ToxiproxyClient } from '../src/toxiproxy.client';
import { waitFor } from '../src/wait';

const cfg = loadStackConfig();
const toxi = ToxiproxyClient.fromConfig(cfg);
const PROBE_TOPIC = 'stack-int.probe'; // not an event topic: nothing here may reach a consumer
const proxy = cfg.services.order.proxies.kafka;

describe('app ↔ Kafka through Toxiproxy', () => {
  let producer: Producer;

  beforeAll(async () => {
    await withAdmin(
      cfg.kafka.bootstrap,
      async (a) => {
        if (!(await a.listTopics()).includes(PROBE_TOPIC)) {
          await a.createTopics({ waitForLeaders: true, topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: 1 }] });
        }
      },
      30_000,
    );
    const kafka = new Kafka({
      clientId: 'stack-int-toxic',
      brokers: cfg.services.order.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      requestTimeout: 2_000,
      connectionTimeout: 2_000,
      retry: { retries: 0 },
    });
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    for (const t of (await toxi.proxy(proxy)).toxics) await toxi.removeToxic(proxy, t.name);
    await producer?.disconnect();
  });

  const send = (n: string) => producer.send({ topic: PROBE_TOPIC, acks: -1, messages: [{ key: 'k', value: n }] });

  it('when a timeout toxic blackholes the order-kafka proxy, then a produce through it fails within a bounded time, and succeeds again once the toxic is removed', async () => {
    await send('before'); // the path works, through the proxy

    const toxic = await toxi.addToxic(proxy, { name: 'blackhole', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    const t0 = Date.now();
    const outcome = await Promise.race([
      send('during').then(
        () => 'delivered' as const,
        () => 'failed' as const,
      ),
      new Promise<'stalled'>((r) => setTimeout(() => r('stalled'), 10_000)),
    ]);
    expect(outcome).not.toBe('delivered');
    expect(Date.now() - t0).toBeLessThan(11_000);

    await toxi.removeToxic(proxy, toxic);
    const delivered = await waitFor(
      async () => {
        try {
          return await send('after');
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'a produce through order-kafka after removing the toxic' },
    );
    expect(delivered[0]?.errorCode).toBe(0);
  });
});
