import { afterEach, describe, expect, it } from 'vitest';
import { escapeLiteral, writeAtCommit, type CommitWrite } from '@choreo/platform';
import { DLQ_HEADERS } from '../src/dead-letter';
import { applied, decidingHandlers, parked, type Handler } from '../src/types';
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

const PROBE_AT_COMMIT: CommitWrite<string> = {
  sql: (sagas) =>
    `INSERT INTO effects (event_id, event_type, aggregate_id, seq, saga_id)
     SELECT gen_random_uuid(), 'queued probe', '-', 0, s FROM unnest(ARRAY[${sagas.map(escapeLiteral).join(', ')}]::text[]) AS s`,
};

/** Applies only once the saga's `prerequisite` has: the "not applicable yet" park of docs/architecture.md §3. */
const after =
  (prerequisite: string): Handler =>
  async ({ tx, envelope }) => {
    const { rowCount } = await tx.query('SELECT 1 FROM effects WHERE saga_id = $1 AND event_type = $2', [envelope.sagaId, prerequisite]);
    if (!rowCount) {
      // Written, then parked: the runtime must roll this back to its savepoint.
      await tx.query("INSERT INTO effects (event_id, event_type, aggregate_id, seq, saga_id) VALUES ($1, 'probe', '-', 0, $2)", [
        envelope.eventId,
        envelope.sagaId,
      ]);
      // And a row queued for the COMMIT (as outbox rows are): forgotten with the savepoint too.
      writeAtCommit(tx, PROBE_AT_COMMIT, [envelope.sagaId]);
      return parked(`waiting for ${prerequisite}`);
    }
    await recordEffect(tx, envelope);
    return applied;
  };
const afterOrderPlaced = after('OrderPlaced');

describe('consumer runtime: parking (real Postgres and Kafka)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when a handler parks an event, then it is applied right after its prerequisite, even from another topic and partition', async () => {
    h = await startHarness({ topicCount: 2, handlers: { OrderPlaced: effectHandler, PaymentAuthorized: afterOrderPlaced } });
    const [orders, payments] = [h.topics[0]!.topic, h.topics[1]!.topic];
    const orderId = uniqueId('o');
    const authorized = eventRecord({
      type: 'PaymentAuthorized',
      payload: payloads.authorized(orderId),
      aggregateId: orderId,
      seq: 1,
      partition: 2,
    });
    const placed = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: 0 });
    await produce(payments, [authorized]);

    const harness = h;
    await waitFor(async () => (await harness.inbox()).some((r) => r.outcome === 'parked'), {
      timeoutMs: 20_000,
      description: 'the payment parked',
    });
    expect(await h.effects()).toEqual([]); // what the parking handler wrote was rolled back
    expect(await h.metric('choreo_events_parked_total', { kind: 'handler' })).toBe(1);

    await produce(orders, [placed]);
    await waitFor(async () => (await harness.effects()).length === 2, { timeoutMs: 20_000, description: 'both applied' });
    expect((await h.effects()).map((e) => e.event_type)).toEqual(['OrderPlaced', 'PaymentAuthorized']);
    expect(Object.fromEntries((await h.inbox()).map((r) => [r.event_id, r.outcome]))).toEqual({
      [authorized.eventId]: 'applied',
      [placed.eventId]: 'applied',
    });
    expect((await h.pool.query('SELECT count(*)::int AS n FROM parked_events')).rows[0].n).toBe(0);
    expect(await h.metric('choreo_events_released_total')).toBe(1);
  });

  it('when a handler declared deciding (it writes only on apply) parks, then it runs without a savepoint and is released as any other', async () => {
    // Reads, decides, and writes only when it applies: nothing to roll back when it parks.
    const decidingAfterOrderPlaced: Handler = async ({ tx, envelope }) => {
      const { rowCount } = await tx.query("SELECT 1 FROM effects WHERE saga_id = $1 AND event_type = 'OrderPlaced'", [envelope.sagaId]);
      if (!rowCount) return parked('waiting for OrderPlaced');
      await recordEffect(tx, envelope);
      return applied;
    };
    h = await startHarness({ handlers: decidingHandlers({ OrderPlaced: effectHandler, PaymentAuthorized: decidingAfterOrderPlaced }) });
    const { topic } = h.topics[0]!;
    const orderId = uniqueId('o');
    const authorized = eventRecord({ type: 'PaymentAuthorized', payload: payloads.authorized(orderId), aggregateId: orderId, seq: 1 });
    const placed = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1 });
    await produce(topic, [authorized, placed]);

    const harness = h;
    await waitFor(async () => (await harness.effects()).length === 2, { timeoutMs: 20_000, description: 'both applied' });
    expect((await h.effects()).map((e) => e.event_type)).toEqual(['OrderPlaced', 'PaymentAuthorized']);
    expect((await h.inbox()).map((r) => r.outcome).sort()).toEqual(['applied', 'applied']);
    expect(await h.metric('choreo_events_parked_total', { kind: 'handler' })).toBe(1);
    expect(await h.metric('choreo_events_released_total')).toBe(1);
    expect((await h.pool.query('SELECT count(*)::int AS n FROM parked_events')).rows[0].n).toBe(0);
  });

  it('when parked events wait on each other, then one prerequisite releases the whole chain in dependency order', async () => {
    h = await startHarness({
      handlers: { OrderPlaced: effectHandler, InventoryReserved: afterOrderPlaced, PaymentAuthorized: after('InventoryReserved') },
    });
    const { topic } = h.topics[0]!;
    const orderId = uniqueId('o');
    const authorized = eventRecord({
      type: 'PaymentAuthorized',
      payload: payloads.authorized(orderId),
      aggregateId: orderId,
      seq: 1,
      partition: 0,
    });
    const reserved = eventRecord({
      type: 'InventoryReserved',
      payload: { orderId, items: [{ sku: 'sku-1', quantity: 2 }] },
      aggregateId: orderId,
      seq: 1,
      partition: 1,
    });
    const placed = eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: 2 });
    await produce(topic, [authorized]);
    await produce(topic, [reserved]);
    const harness = h;
    await waitFor(async () => (await harness.inbox()).filter((r) => r.outcome === 'parked').length === 2, {
      timeoutMs: 20_000,
      description: 'payment and reservation parked',
    });

    await produce(topic, [placed]);
    await waitFor(async () => (await harness.effects()).length === 3, { timeoutMs: 20_000, description: 'the chain applied' });
    expect((await h.effects()).map((e) => e.event_type)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentAuthorized']);
    expect(await h.metric('choreo_events_released_total')).toBe(2);
  });

  it('when an event stays parked longer than the TTL, then it is dead-lettered with PARK_TTL_EXPIRED and the inbox says so', async () => {
    h = await startHarness({ handlers: { OrderConfirmed: effectHandler }, runtime: { parkTtlMs: 500, parkSweepIntervalMs: 200 } });
    const { topic, dlq } = h.topics[0]!;
    const orderId = uniqueId('o');
    const orphan = eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq: 2 });
    await produce(topic, [orphan]);

    const harness = h;
    await waitFor(async () => (await harness.inbox())[0]?.outcome === 'dead_lettered', {
      timeoutMs: 20_000,
      description: 'the parked event expired',
    });
    const [copy, ...more] = await readAllRecords(dlq, { until: (records) => records.length > 0 });
    expect(more).toEqual([]);
    expect(copy!.value).toBe(orphan.value);
    expect(copy!.headers).toMatchObject({
      ...orphan.headers,
      [DLQ_HEADERS.code]: 'PARK_TTL_EXPIRED',
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.consumer]: h.name,
      [DLQ_HEADERS.message]: expect.stringContaining('gap: waiting for order seq 1'),
    });
    expect((await h.inbox())[0]!.reason).toContain('park TTL expired');
    expect((await h.pool.query('SELECT count(*)::int AS n FROM parked_events')).rows[0].n).toBe(0);
    expect(await h.effects()).toEqual([]);
    expect(await h.metric('choreo_messages_dead_lettered_total', { reason: 'PARK_TTL_EXPIRED' })).toBe(1);
  });
});
