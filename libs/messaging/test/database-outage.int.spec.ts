import { afterEach, describe, expect, it } from 'vitest';
import type { EventType } from '@choreo/contracts';
import {
  createTestProxy,
  effectHandler,
  eventRecord,
  handleAll,
  loadStackConfig,
  payloads,
  produce,
  startHarness,
  uniqueId,
  waitFor,
  waitForCommittedToEnd,
  type Harness,
  type TestProxy,
} from './consumer-harness';

const TYPES: readonly EventType[] = ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'];

const wave = (orderIds: readonly string[], seq: 1 | 2 | 3) =>
  orderIds.map((orderId) =>
    seq === 1
      ? eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq })
      : seq === 2
        ? eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq })
        : eventRecord({ type: 'OrderCancelled', payload: { orderId, reason: 'CUSTOMER_REQUEST' }, aggregateId: orderId, seq }),
  );

describe('consumer runtime: database outage (real Postgres behind Toxiproxy, real Kafka)', () => {
  let h: Harness | undefined;
  let proxy: TestProxy | undefined;
  afterEach(async () => {
    await proxy?.enable().catch(() => undefined);
    await h?.close();
    await proxy?.close();
    h = proxy = undefined;
  });

  /** Events flow, then `cut` happens mid-stream, more events arrive, then `heal`: every event must apply exactly once. */
  async function outageScenario(cut: (p: TestProxy) => Promise<void>, heal: (p: TestProxy) => Promise<void>, queryTimeoutMs?: number) {
    const { pg } = loadStackConfig();
    const p = (proxy = await createTestProxy(`${pg.host}:${pg.port}`));
    const via = { host: p.host, port: p.port };
    const harness = (h = await startHarness({
      handlers: handleAll(effectHandler, TYPES),
      runtimePool: (db) => db.pool({ via, max: 6, connectionTimeoutMillis: 1_000, queryTimeoutMs }),
    }));
    const { topic } = harness.topics[0]!;
    const orderIds = Array.from({ length: 12 }, () => uniqueId('o'));

    await produce(topic, wave(orderIds, 1));
    await waitFor(async () => (await harness.effects()).length > 0, { timeoutMs: 20_000, description: 'the stream flowing' });
    await cut(p);
    await produce(topic, wave(orderIds, 2));
    await waitFor(async () => (await harness.metric('choreo_message_retries_total', { kind: 'transient' })) >= 3, {
      timeoutMs: 20_000,
      description: 'transient retries during the outage',
    });
    await produce(topic, wave(orderIds, 3));
    expect((await harness.effects()).length).toBeLessThan(orderIds.length * 3);

    await heal(p);
    await waitFor(async () => (await harness.effects()).length >= orderIds.length * 3, {
      timeoutMs: 30_000,
      description: 'every event applied',
    });
    const effects = await harness.effects();
    expect(effects).toHaveLength(orderIds.length * 3);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(orderIds.length * 3);
    for (const orderId of orderIds) {
      expect(
        effects.filter((e) => e.aggregate_id === orderId).map((e) => e.seq),
        orderId,
      ).toEqual(['1', '2', '3']);
    }
    expect(new Set((await harness.inbox()).map((r) => r.outcome))).toEqual(new Set(['applied']));
    expect(await harness.metric('choreo_messages_dead_lettered_total')).toBe(0);
    await waitForCommittedToEnd(harness.name, topic);
  }

  it('when the database becomes unreachable mid-stream, then the runtime retries, and once it is back every event is applied exactly once', async () => {
    await outageScenario(
      (p) => p.disable(),
      (p) => p.enable(),
    );
  });

  it('when the database connection is black-holed mid-stream (pool with query_timeout), then queries time out, are retried, and every event applies exactly once', async () => {
    let toxic = '';
    await outageScenario(
      async (p) => {
        toxic = await p.addToxic({ type: 'timeout', attributes: { timeout: 0 } });
      },
      (p) => p.removeToxic(toxic),
      1_000,
    );
  });
});
