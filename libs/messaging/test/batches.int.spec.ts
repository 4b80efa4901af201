import { afterEach, describe, expect, it } from 'vitest';
import { applied, parked, type Handler } from '../src/types';
import {
  effectHandler,
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

/**
 * The runtime settles a fetched batch of one partition in one transaction, shared with the
 * batches other partitions hand in at the same time (group commit). Every record must
 * still meet exactly what it would meet alone: the inbox, sequencing, parking and release,
 * retries and the DLQ. One produce call on a one-partition topic makes one fetched batch.
 */
describe('consumer runtime: batches (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when one batch holds a duplicate, a gap and its fill, a park released later in the batch, a handler park, and a failing record, then each settles as it would alone', async () => {
    const failing = uniqueId('o-bug');
    // OrderConfirmed waits (parks) until the saga's payment has been authorized.
    const confirmed: Handler<'OrderConfirmed'> = async (input) => {
      const { rows } = await input.tx.query("SELECT 1 FROM effects WHERE saga_id = $1 AND event_type = 'PaymentAuthorized'", [
        input.envelope.sagaId,
      ]);
      if (rows.length === 0) return parked('payment not authorized yet');
      await recordEffect(input.tx, input.envelope);
      return applied;
    };
    const placed: Handler<'OrderPlaced'> = async (input) => {
      if (input.envelope.aggregateId === failing) throw new Error('a bug in the handler');
      return effectHandler(input);
    };
    h = await startHarness({
      handlers: { OrderPlaced: placed, OrderConfirmed: confirmed, PaymentAuthorized: effectHandler },
      partitions: 1,
    });
    const [o1, o2, o4] = [uniqueId('o1'), uniqueId('o2'), uniqueId('o4')];
    const a = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(o1), aggregateId: o1, seq: 1 });
    const b = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(o2), aggregateId: o2, seq: 2 });
    const c = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(o2), aggregateId: o2, seq: 1 });
    const d = eventRecord({ type: 'PaymentAuthorized', payload: payloads.authorized(o2), aggregateId: `pay-${o2}`, sagaId: o2, seq: 1 });
    const e = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(failing), aggregateId: failing, seq: 1 });
    const f = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(o4), aggregateId: o4, seq: 1 });
    const g = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(o4), aggregateId: o4, seq: 2 });
    await produce(h.topics[0]!.topic, [a, a, b, c, d, e, f, g]);

    const harness = h;
    await waitFor(async () => (await harness.metric('choreo_messages_processed_total')) >= 8, {
      timeoutMs: 30_000,
      description: 'all eight records settled',
    });
    // Each effect once, in the order the records' turns came: b (gap, then not yet) applies when d releases it.
    expect((await h.effects()).map((r) => r.event_id)).toEqual([a.eventId, c.eventId, d.eventId, b.eventId, f.eventId]);
    const inbox = new Map((await h.inbox()).map((r) => [r.event_id, r.outcome]));
    expect(Object.fromEntries([a, b, c, d, e, f, g].map((r) => [r.eventId, inbox.get(r.eventId)]))).toEqual({
      [a.eventId]: 'applied',
      [b.eventId]: 'applied',
      [c.eventId]: 'applied',
      [d.eventId]: 'applied',
      [e.eventId]: 'dead_lettered',
      [f.eventId]: 'applied',
      [g.eventId]: 'parked',
    });
    expect(await h.metric('choreo_messages_duplicates_total', { kind: 'inbox' })).toBe(1);
    expect(await h.metric('choreo_events_parked_total', { kind: 'gap' })).toBe(1);
    expect(await h.metric('choreo_events_parked_total', { kind: 'handler' })).toBe(1);
    expect(await h.metric('choreo_events_released_total')).toBe(1);
    expect(await h.metric('choreo_messages_dead_lettered_total', { reason: 'HANDLER_FAILED' })).toBe(1);
    expect(await h.metric('choreo_message_retries_total', { kind: 'handler' })).toBe(2);
  });

  it('when records arrive together, then they settle in one transaction', async () => {
    h = await startHarness({ handlers: { OrderPlaced: effectHandler }, partitions: 1 });
    const records = Array.from({ length: 20 }, () => {
      const id = uniqueId('o');
      return eventRecord({ type: 'OrderPlaced', payload: payloads.placed(id), aggregateId: id, seq: 1 });
    });
    await produce(h.topics[0]!.topic, records);

    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 20, { timeoutMs: 20_000, description: 'twenty effects' });
    expect((await h.effects()).map((r) => r.event_id)).toEqual(records.map((r) => r.eventId));
    const transactions = await h.metric('choreo_batch_records_count');
    expect(transactions).toBeLessThan(20);
    expect(await h.metric('choreo_batch_records_sum')).toBe(20);
  });
  it('when several partitions hand in batches at once, then they share transactions (group commit), each partition in order', async () => {
    const records = Array.from({ length: 30 }, () => {
      const id = uniqueId('o');
      return eventRecord({ type: 'OrderPlaced', payload: payloads.placed(id), aggregateId: id, seq: 1 });
    });
    let topic = '';
    h = await startHarness({
      handlers: { OrderPlaced: effectHandler },
      partitions: 3,
      // In the log before the first fetch, so one fetch hands in all three partitions' batches.
      beforeStart: async ([t]) => {
        topic = t!;
        await produce(topic, records);
      },
    });

    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 30, { timeoutMs: 20_000, description: 'thirty effects' });
    const log = await readAllRecords(topic);
    const partitions = [...new Set(log.map((r) => r.partition))];
    expect(partitions).toHaveLength(3);
    // The first batch starts a transaction at once; the two handed in while it ran share the next.
    expect(await h.metric('choreo_batch_records_count')).toBe(2);
    expect(await h.metric('choreo_batch_records_sum')).toBe(30);
    const applied = (await h.effects()).map((r) => r.event_id);
    for (const p of partitions) {
      const inLog = log.filter((r) => r.partition === p).map((r) => r.headers['eventId']!);
      expect(applied.filter((id) => inLog.includes(id))).toEqual(inLog);
    }
  });

  it('when ids hold quotes, backslashes and other characters, then a batch (whose values go in as literals) settles them all, once', async () => {
    h = await startHarness({ handlers: { OrderPlaced: effectHandler }, partitions: 1 });
    const odd = [`o'${uniqueId('q')}`, `o\\'';--${uniqueId('b')}`, `o"$1$$${uniqueId('d')}`, `o\u00e9\u2192\u{1f4e6}${uniqueId('u')}`];
    const records = odd.map((id) => eventRecord({ type: 'OrderPlaced', payload: payloads.placed(id), aggregateId: id, seq: 1 }));
    await produce(h.topics[0]!.topic, [...records, records[0]!]);

    const harness = h;
    await waitFor(async () => (await harness.inbox()).length === odd.length, { timeoutMs: 20_000, description: 'every odd id settled' });
    await waitFor(async () => (await harness.metric('choreo_messages_duplicates_total', { kind: 'inbox' })) === 1, {
      timeoutMs: 20_000,
      description: 'the redelivered copy absorbed',
    });
    expect((await h.effects()).map((r) => r.aggregate_id)).toEqual(odd);
    expect((await h.inbox()).every((r) => r.outcome === 'applied')).toBe(true);
  });
});
