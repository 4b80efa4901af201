import { afterEach, describe, expect, it } from 'vitest';
import { sweepInbox } from '../src/inbox-sweeper';
import {
  effectHandler,
  eventRecord,
  handleAll,
  payloads,
  produce,
  startHarness,
  uniqueId,
  waitFor,
  type Harness,
} from './consumer-harness';

describe('consumer runtime: inbox and per-aggregate sequencing (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const processed = (harness: Harness) => harness.metric('choreo_messages_processed_total');

  it('when the same event is delivered twice, then it is applied once and the second copy counts as a duplicate', async () => {
    h = await startHarness({ handlers: handleAll(effectHandler, ['OrderPlaced']) });
    const orderId = uniqueId('o');
    const record = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 });
    await produce(h.topics[0]!.topic, [record]);
    await produce(h.topics[0]!.topic, [record]);

    const harness = h;
    await waitFor(async () => (await processed(harness)) >= 2, { timeoutMs: 20_000, description: 'both deliveries settled' });
    expect(await h.effects()).toEqual([expect.objectContaining({ event_id: record.eventId, seq: '1' })]);
    expect(await h.inbox()).toEqual([{ event_id: record.eventId, outcome: 'applied', reason: null }]);
    expect(await h.metric('choreo_messages_duplicates_total', { kind: 'inbox' })).toBe(1);
    expect(await h.metric('choreo_messages_processed_total', { outcome: 'duplicate' })).toBe(1);
  });

  it('when another event arrives with a seq already applied, then it is ignored as a sequence duplicate and recorded', async () => {
    h = await startHarness({ handlers: handleAll(effectHandler, ['OrderPlaced', 'OrderConfirmed']) });
    const orderId = uniqueId('o');
    const first = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 });
    const stale = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq: 1 });
    await produce(h.topics[0]!.topic, [first, stale]);

    const harness = h;
    await waitFor(async () => (await processed(harness)) >= 2, { timeoutMs: 20_000, description: 'both events settled' });
    expect((await h.effects()).map((e) => e.event_id)).toEqual([first.eventId]);
    expect(await h.inbox()).toEqual([
      { event_id: first.eventId, outcome: 'applied', reason: null },
      { event_id: stale.eventId, outcome: 'ignored', reason: expect.stringContaining('duplicate: seq 1') },
    ]);
    expect(await h.metric('choreo_messages_duplicates_total', { kind: 'sequence' })).toBe(1);
  });

  it('when seq 3 arrives before seq 2, then 3 is parked and applied right after 2, in seq order', async () => {
    h = await startHarness({ handlers: handleAll(effectHandler, ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled']) });
    const orderId = uniqueId('o');
    const topic = h.topics[0]!.topic;
    const seq1 = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 });
    const seq2 = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq: 2 });
    const seq3 = eventRecord({ type: 'OrderCancelled', payload: { orderId, reason: 'CUSTOMER_REQUEST' }, aggregateId: orderId, seq: 3 });
    await produce(topic, [seq1, seq3]);

    const harness = h;
    await waitFor(async () => (await harness.inbox()).find((r) => r.event_id === seq3.eventId)?.outcome === 'parked', {
      timeoutMs: 20_000,
      description: 'seq 3 parked behind the gap',
    });
    expect((await h.effects()).map((e) => e.seq)).toEqual(['1']);
    const { rows: parked } = await h.pool.query('SELECT event_id, reason FROM parked_events');
    expect(parked).toEqual([{ event_id: seq3.eventId, reason: 'gap: waiting for order seq 2' }]);

    await produce(topic, [seq2]);
    await waitFor(async () => (await harness.effects()).length === 3, { timeoutMs: 20_000, description: 'all three applied' });
    expect((await h.effects()).map((e) => e.seq)).toEqual(['1', '2', '3']);
    expect((await h.inbox()).map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect((await h.pool.query('SELECT count(*)::int AS n FROM parked_events')).rows[0].n).toBe(0);
    expect(await h.metric('choreo_events_parked_total', { kind: 'gap' })).toBe(1);
    expect(await h.metric('choreo_events_released_total')).toBe(1);
  });

  it('when the inbox has been swept and an old event is redelivered, then the sequence check still keeps it from applying twice', async () => {
    h = await startHarness({ handlers: handleAll(effectHandler, ['OrderPlaced']) });
    const orderId = uniqueId('o');
    const record = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 });
    await produce(h.topics[0]!.topic, [record]);
    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 1, { timeoutMs: 20_000, description: 'the event applied' });
    await h.pool.query("UPDATE inbox SET settled_at = now() - interval '2 days'");
    expect(await sweepInbox(h.pool, h.name, 24 * 3_600_000)).toBe(1);

    await produce(h.topics[0]!.topic, [record]);
    await waitFor(async () => (await processed(harness)) >= 2, { timeoutMs: 20_000, description: 'the redelivery settled' });
    expect(await h.effects()).toHaveLength(1);
    expect(await h.inbox()).toEqual([{ event_id: record.eventId, outcome: 'ignored', reason: expect.stringContaining('duplicate') }]);
  });
});
