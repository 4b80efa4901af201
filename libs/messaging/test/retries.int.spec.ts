import { afterEach, describe, expect, it } from 'vitest';
import { applied, type Handler } from '../src/types';
import {
  committedOffsets,
  createTopics,
  eventRecord,
  payloads,
  produce,
  readAllRecords,
  recordEffect,
  startHarness,
  uniqueId,
  waitFor,
  type Harness,
} from './consumer-harness';

/** Fails like a deadlock (a transient error: retried forever) while the aggregate is blocked. */
const blockable =
  (blocked: Set<string>): Handler =>
  async ({ tx, envelope }) => {
    if (blocked.has(envelope.aggregateId)) throw Object.assign(new Error('deadlock detected (simulated)'), { code: '40P01' });
    await recordEffect(tx, envelope);
    return applied;
  };

describe('consumer runtime: retries (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when one partition keeps failing transiently, then the other partitions keep flowing and it applies, in order, once healed', async () => {
    const blocked = new Set<string>();
    h = await startHarness({ handlers: { OrderPlaced: blockable(blocked), OrderConfirmed: blockable(blocked) } });
    const { topic } = h.topics[0]!;
    const [stuck, behind, other1, other2] = ['stuck', 'behind', 'other1', 'other2'].map(uniqueId) as [string, string, string, string];
    blocked.add(stuck);
    await produce(topic, [eventRecord({ type: 'OrderPlaced', payload: payloads.placed(stuck), aggregateId: stuck, seq: 1, partition: 0 })]);
    const harness = h;
    await waitFor(async () => (await harness.metric('choreo_message_retries_total', { kind: 'transient' })) >= 2, {
      timeoutMs: 20_000,
      description: 'partition 0 retrying',
    });

    await produce(topic, [
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(behind), aggregateId: behind, seq: 1, partition: 0 }),
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(other1), aggregateId: other1, seq: 1, partition: 1 }),
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(other2), aggregateId: other2, seq: 1, partition: 2 }),
    ]);
    await waitFor(async () => (await harness.effects()).length === 2, { timeoutMs: 20_000, description: 'partitions 1 and 2 applied' });
    expect((await h.effects()).map((e) => e.aggregate_id).sort()).toEqual([other1, other2].sort());

    blocked.delete(stuck);
    await waitFor(async () => (await harness.effects()).length === 4, { timeoutMs: 20_000, description: 'partition 0 healed' });
    const order = (await h.effects()).map((e) => e.aggregate_id);
    expect(order.indexOf(stuck)).toBeLessThan(order.indexOf(behind));
    expect(await h.metric('choreo_messages_dead_lettered_total')).toBe(0);
  });

  it('when stop() is called while a message is retrying, then it returns promptly and the message stays uncommitted for redelivery', async () => {
    const blocked = new Set<string>();
    h = await startHarness({ handlers: { OrderPlaced: blockable(blocked) }, runtime: { retry: { initialMs: 2_000, maxMs: 2_000 } } });
    const { topic } = h.topics[0]!;
    const [done, stuck] = [uniqueId('done'), uniqueId('stuck')];
    blocked.add(stuck);
    await produce(topic, [
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(done), aggregateId: done, seq: 1, partition: 0 }),
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(stuck), aggregateId: stuck, seq: 1, partition: 0 }),
    ]);
    const harness = h;
    await waitFor(async () => (await harness.metric('choreo_message_retries_total')) >= 1, { timeoutMs: 20_000, description: 'the retry' });

    const started = Date.now();
    await h.runtime.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(h.runtime.isReady()).toBe(false);
    expect((await committedOffsets(h.name, topic)).get(0)).toBe(1n);
  });

  it('when the DLQ topic cannot be written, then the poison is retried (its partition waits) until it can, and is never skipped', async () => {
    h = await startHarness({ withDlq: false, handlers: { OrderPlaced: blockable(new Set()) } });
    const { topic, dlq } = h.topics[0]!;
    const orderId = uniqueId('o');
    const valid = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: 0 });
    await produce(topic, [{ ...valid, value: 'not json', headers: { ...valid.headers, eventId: crypto.randomUUID() } }, valid]);
    const harness = h;
    await waitFor(async () => (await harness.metric('choreo_message_retries_total', { kind: 'dead_letter' })) >= 2, {
      timeoutMs: 30_000,
      description: 'failed DLQ publishes retried',
    });
    expect(await h.effects()).toEqual([]);

    await createTopics([dlq]);
    await waitFor(async () => (await harness.effects()).length === 1, { timeoutMs: 30_000, description: 'the event after the poison' });
    const copies = await readAllRecords(dlq, { until: (records) => records.length > 0 });
    expect(copies.map((c) => c.headers['dlq.error.code'])).toEqual(['NOT_JSON']);
  });
});
