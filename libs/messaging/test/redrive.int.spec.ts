import { afterEach, describe, expect, it } from 'vitest';
import { readDeadLetters, redrive } from '../src/dead-letter-log';
import type { Handler } from '../src/types';
import {
  effectHandler,
  eventRecord,
  payloads,
  produce,
  startHarness,
  testKafka,
  uniqueId,
  waitFor,
  type Harness,
} from './consumer-harness';

describe('consumer runtime: redriving a dead letter (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a dead-lettered event is redriven after the fix, then it applies once and releases what parked behind it; a plain redelivery and a second redrive stay duplicates', async () => {
    let broken = true;
    const placed: Handler = async (ctx) => {
      if (broken) throw new Error('handler bug');
      return effectHandler(ctx);
    };
    h = await startHarness({ handlers: { OrderPlaced: placed, OrderConfirmed: effectHandler } });
    const harness = h;
    const { topic, dlq } = h.topics[0]!;
    const orderId = uniqueId('o');
    const first = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: 0 });
    const second = eventRecord({
      type: 'OrderConfirmed',
      payload: payloads.confirmed(orderId),
      aggregateId: orderId,
      seq: 2,
      partition: 0,
    });
    await produce(topic, [first, second]);
    const outcomes = async () => Object.fromEntries((await harness.inbox()).map((r) => [r.event_id, r.outcome]));
    await waitFor(async () => (await outcomes())[second.eventId] === 'parked', { timeoutMs: 20_000, description: 'the successor parked' });
    expect(await outcomes()).toEqual({ [first.eventId]: 'dead_lettered', [second.eventId]: 'parked' });

    broken = false;
    const duplicates = () => harness.metric('choreo_messages_duplicates_total', { kind: 'inbox' });
    await produce(topic, [first]);
    await waitFor(async () => (await duplicates()) === 1, { timeoutMs: 20_000, description: 'the plain redelivery absorbed' });
    expect(await h.effects()).toEqual([]);

    const kafka = testKafka('choreo-redrive-test');
    const [dead] = await waitFor(
      async () => ((await readDeadLetters(kafka, [dlq])).length > 0 ? readDeadLetters(kafka, [dlq]) : undefined),
      {
        timeoutMs: 20_000,
        description: 'the DLQ copy',
      },
    );
    const producer = kafka.producer();
    await producer.connect();
    try {
      expect(await redrive(producer, dead!)).toMatchObject({ topic });
      await waitFor(async () => (await harness.effects()).length === 2, { timeoutMs: 20_000, description: 'both events applied' });
      expect(await outcomes()).toEqual({ [first.eventId]: 'applied', [second.eventId]: 'applied' });
      expect(await h.metric('choreo_events_released_total')).toBe(1);

      await redrive(producer, dead!);
      await waitFor(async () => (await duplicates()) === 2, { timeoutMs: 20_000, description: 'the second redrive absorbed' });
      expect((await h.effects()).map((e) => e.event_id)).toEqual([first.eventId, second.eventId]);
    } finally {
      await producer.disconnect();
    }
  });
});
