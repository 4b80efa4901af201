import { afterEach, describe, expect, it } from 'vitest';
import {
  effectHandler,
  eventRecord,
  handleAll,
  metricValue,
  payloads,
  produce,
  startHarness,
  uniqueId,
  waitFor,
  waitForCommittedToEnd,
  type Harness,
} from './consumer-harness';

describe('consumer runtime: group rebalances (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a second instance joins mid-stream and the first then leaves, then every event is applied exactly once and offsets reach the end', async () => {
    h = await startHarness({ handlers: handleAll(effectHandler, ['OrderPlaced', 'OrderConfirmed']), partitions: 6 });
    const { topic } = h.topics[0]!;
    const orderIds = Array.from({ length: 30 }, () => uniqueId('o'));
    const placed = orderIds.map((orderId) =>
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 }),
    );
    const confirmed = orderIds.map((orderId) =>
      eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq: 2 }),
    );
    const harness = h;

    await produce(topic, placed.slice(0, 15));
    await waitFor(async () => (await harness.effects()).length > 0, { timeoutMs: 20_000, description: 'the first instance consuming' });
    const second = await h.addRuntime();
    await produce(topic, [...placed.slice(15), ...confirmed.slice(0, 15)]);
    await waitFor(() => second.runtime.isReady(), { timeoutMs: 20_000, description: 'the second instance in the group' });
    await waitFor(async () => (await metricValue(second.registry, 'choreo_messages_processed_total')) > 0, {
      timeoutMs: 20_000,
      description: 'the second instance processing its share',
    });

    await h.runtime.stop();
    await produce(topic, confirmed.slice(15));
    await waitFor(async () => (await harness.effects()).length >= orderIds.length * 2, {
      timeoutMs: 30_000,
      description: 'every event applied',
    });
    const effects = await h.effects();
    expect(effects).toHaveLength(orderIds.length * 2);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(orderIds.length * 2);
    for (const orderId of orderIds) expect(effects.filter((e) => e.aggregate_id === orderId).map((e) => e.seq)).toEqual(['1', '2']);
    expect(new Set((await h.inbox()).map((r) => r.outcome))).toEqual(new Set(['applied']));

    await waitForCommittedToEnd(harness.name, topic);
  });
});
