import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../src/dead-letter';
import type { Handler } from '../src/types';
import {
  committedOffsets,
  effectHandler,
  endOffsets,
  eventRecord,
  payloads,
  produce,
  rawRecord,
  readAllRecords,
  startHarness,
  uniqueId,
  waitFor,
  type Harness,
} from './consumer-harness';

describe('consumer runtime: dead-lettering (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when poison arrives (not JSON, unknown type, invalid payload), then each lands in <topic>.dlq with its code and origin, and the partition moves on', async () => {
    h = await startHarness({ handlers: { OrderPlaced: effectHandler } });
    const { topic, dlq } = h.topics[0]!;
    const orderId = uniqueId('o');
    const valid = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: 1 });
    const notJson = { ...valid, value: '{"orderId": ', headers: { ...valid.headers, eventId: crypto.randomUUID() } };
    const unknownType = { ...valid, headers: { ...valid.headers, eventId: crypto.randomUUID(), eventType: 'OrderShipped' } };
    const invalid = { ...valid, value: JSON.stringify({ orderId }), headers: { ...valid.headers, eventId: crypto.randomUUID() } };
    const noHeaders = rawRecord(orderId, '{}', {}, 1);
    await produce(topic, [notJson, unknownType, invalid, noHeaders, valid]);

    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 1, {
      timeoutMs: 20_000,
      description: 'the valid event after the poison applied',
    });
    const copies = await readAllRecords(dlq, { until: (records) => records.length >= 4 });
    expect(copies.map((c) => c.headers[DLQ_HEADERS.code])).toEqual([
      'NOT_JSON',
      'UNKNOWN_EVENT_TYPE',
      'PAYLOAD_INVALID',
      'ENVELOPE_INVALID',
    ]);
    expect(copies.map((c) => [c.headers[DLQ_HEADERS.topic], c.headers[DLQ_HEADERS.partition], c.headers[DLQ_HEADERS.offset]])).toEqual([
      [topic, '1', '0'],
      [topic, '1', '1'],
      [topic, '1', '2'],
      [topic, '1', '3'],
    ]);
    expect(copies[0]!.value).toBe(notJson.value);
    expect(copies[0]!.key).toBe(orderId);
    expect(copies[2]!.headers[DLQ_HEADERS.message]).toContain('OrderPlaced');
    expect(copies[1]!.headers).toMatchObject({ eventType: 'OrderShipped', [DLQ_HEADERS.consumer]: h.name });
    expect(await h.metric('choreo_messages_dead_lettered_total')).toBe(4);
    expect(await h.inbox()).toEqual([{ event_id: valid.eventId, outcome: 'applied', reason: null }]);

    const ends = await endOffsets(topic);
    await waitFor(async () => (await committedOffsets(harness.name, topic)).get(1) === ends.get(1), {
      timeoutMs: 10_000,
      description: 'the offset committed past the poison',
    });
  });

  it('when a handler keeps failing, then after the attempts it is dead-lettered as HANDLER_FAILED, recorded, and the next event applies', async () => {
    const failing: Handler = async () => {
      throw new Error('handler bug: cannot read property of undefined');
    };
    h = await startHarness({ handlers: { OrderPlaced: failing, OrderConfirmed: effectHandler } });
    const { topic, dlq } = h.topics[0]!;
    const [broken, fine] = [uniqueId('o'), uniqueId('o')];
    const bad = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(broken), aggregateId: broken, seq: 1, partition: 0 });
    const next = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(fine), aggregateId: fine, seq: 1, partition: 0 });
    await produce(topic, [bad, next]);

    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 1, { timeoutMs: 20_000, description: 'the next event applied' });
    const [copy] = await readAllRecords(dlq, { until: (records) => records.length > 0 });
    expect(copy!.headers).toMatchObject({
      eventId: bad.eventId,
      [DLQ_HEADERS.code]: 'HANDLER_FAILED',
      [DLQ_HEADERS.message]: expect.stringContaining('handler bug'),
    });
    expect(await h.metric('choreo_message_retries_total', { kind: 'handler' })).toBe(2);
    expect(Object.fromEntries((await h.inbox()).map((r) => [r.event_id, r.outcome]))).toEqual({
      [bad.eventId]: 'dead_lettered',
      [next.eventId]: 'applied',
    });
  });
});
