import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumes, TOPICS } from '@choreo/contracts';
import { E2eHarness, waitFor, type OutgoingRecord } from '@choreo/testing';
import type { ServiceName } from '@choreo/stack';

/**
 * At-least-once delivery made harmless (docs/architecture.md §3): redeliveries, events that overtake
 * their cause, and poison, injected onto the real topics next to Debezium's own records.
 */
let h: E2eHarness;
const SERVICES: readonly ServiceName[] = ['order', 'inventory', 'payment'];

beforeAll(async () => {
  h = await E2eHarness.start();
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

const duplicatesSeen = async () =>
  Object.fromEntries(
    await Promise.all(
      SERVICES.map(async (s) => [s, await h.metric(s, 'choreo_messages_processed_total', { outcome: 'duplicate' })] as const),
    ),
  );

/** Everything the saga's outcome consists of, as the services expose it. */
async function sagaSnapshot(orderId: string, sku: string, customerId: string) {
  return {
    order: (await h.orders.get(orderId)).body(),
    product: (await h.inventory.getProduct(sku)).body(),
    account: (await h.payments.getAccount(customerId)).body(),
    payment: (await h.payments.getPayment(orderId)).body(),
    ledger: await h.dbs.ledger(orderId),
    outboxSeqs: await Promise.all(SERVICES.map((s) => h.dbs.outboxSeqs(s, orderId))),
    inbox: await Promise.all(SERVICES.map(async (s) => (await h.dbs.inbox(s, orderId)).map((r) => `${r.event_type}:${r.outcome}`).sort())),
  };
}

describe('delivery semantics', () => {
  it('when every event of a confirmed saga is published again (in order, then reversed), then nothing changes and each redelivery is absorbed', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 450, available: 5 });
    const customer = await h.fixtures.customer(2_000);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 2 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order!.status).toBe('CONFIRMED');
    h.latency.record('before duplicates', order!);
    await h.waitForSagaQuiet(placed.orderId);
    const before = await sagaSnapshot(placed.orderId, sku, customer);
    const records = h.tap.sagaEvents(placed.orderId);
    expect(records.map((r) => r.headers['eventType']).sort()).toEqual([
      'InventoryCommitted',
      'InventoryReserved',
      'OrderConfirmed',
      'OrderPlaced',
      'PaymentAuthorized',
      'PaymentCaptured',
    ]);
    const duplicatesBefore = await duplicatesSeen();

    await h.injector.republish(records);
    await h.injector.republish([...records].reverse());

    const expected = Object.fromEntries(SERVICES.map((s) => [s, 2 * records.filter((r) => consumes(s, r.topic)).length]));
    await waitFor(
      async () => {
        const now = await duplicatesSeen();
        return SERVICES.every((s) => now[s]! - duplicatesBefore[s]! >= expected[s]!);
      },
      { timeoutMs: 30_000, description: `every service to absorb its redeliveries ${JSON.stringify(expected)}` },
    );
    const after = await sagaSnapshot(placed.orderId, sku, customer);
    expect(after).toEqual(before);
    expect(after.ledger).toEqual([{ kind: 'CHARGE', amountCents: -900 }]);
    expect(h.tap.sagaEvents(placed.orderId)).toHaveLength(records.length * 3);
  });

  it('when PaymentAuthorized reaches order-service before InventoryReserved, then it is parked, the order still ends CONFIRMED, and the customer is charged exactly once', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 600, available: 3 });
    const customer = await h.fixtures.customer(5_000);
    // Hold the saga at PENDING: no reservation (inventory down) and no real authorization (payment down).
    expect(await h.services.stop('inventory')).toMatchObject({ code: 0 });
    expect(await h.services.stop('payment')).toMatchObject({ code: 0 });
    try {
      const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 3 }] });
      const parkedBefore = await h.metric('order', 'choreo_events_parked_total');
      const [injectedId] = await h.injector.inject({
        type: 'PaymentAuthorized',
        aggregateId: placed.orderId,
        seq: 1,
        payload: { orderId: placed.orderId, customerId: customer, amountCents: 1_800 },
      });

      await waitFor(async () => (await h.dbs.parkedEvents('order', placed.orderId)).some((p) => p.event_id === injectedId), {
        timeoutMs: 15_000,
        description: 'order-service to park the early PaymentAuthorized',
      });
      expect(await h.metric('order', 'choreo_events_parked_total')).toBe(parkedBefore + 1);
      expect((await h.orders.get(placed.orderId)).body().status).toBe('PENDING');

      // payment-service first learns the order (amount, customer), as it would have while up.
      await h.services.start('payment');
      await waitFor(
        async () => (await h.dbs.inbox('payment', placed.orderId)).some((r) => r.event_type === 'OrderPlaced' && r.outcome === 'applied'),
        {
          timeoutMs: 15_000,
          description: 'payment-service to record OrderPlaced',
        },
      );
      await h.services.start('inventory');
      const [order] = await h.waitForTerminal([placed.orderId]);
      h.latency.record('parked PaymentAuthorized', order!);
      expect(order).toMatchObject({ status: 'CONFIRMED', totalCents: 1_800 });
      expect(order!.timeline.map((t) => t.step)).toEqual(['PLACED', 'RESERVED', 'PAID', 'CONFIRMED']);
      await h.waitForSagaQuiet(placed.orderId);
      expect(await h.dbs.parkedEvents('order', placed.orderId)).toEqual([]);
      const orderInbox = await h.dbs.inbox('order', placed.orderId);
      expect(orderInbox.find((r) => r.event_id === injectedId)?.outcome).toBe('applied');
      // payment-service's own PaymentAuthorized (seq 1 again) is absorbed by sequencing, not applied twice.
      expect(
        orderInbox
          .filter((r) => r.event_type === 'PaymentAuthorized')
          .map((r) => r.outcome)
          .sort(),
      ).toEqual(['applied', 'ignored']);
      expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 0, reserved: 0, sold: 3 });
      expect((await h.orders.get(placed.orderId)).body()).toEqual(order);

      // The injected event stood in for payment-service, which then authorized for real, once.
      expect(await h.dbs.ledger(placed.orderId)).toEqual([{ kind: 'CHARGE', amountCents: -1_800 }]);
      expect((await h.payments.getAccount(customer)).body().balanceCents).toBe(3_200);
      const payment = (await h.payments.getPayment(placed.orderId)).body();
      expect(payment).toMatchObject({ orderId: placed.orderId, amountCents: 1_800 });
      // CAPTURED when its authorization committed before OrderConfirmed reached it (the normal order of
      // things); a confirmation it did not cause is ignored by design, leaving the one charge AUTHORIZED.
      expect(['CAPTURED', 'AUTHORIZED']).toContain(payment.status);
      if (payment.status !== 'CAPTURED')
        console.warn(`payment ${placed.orderId} stayed AUTHORIZED: OrderConfirmed overtook InventoryReserved at payment-service`);
    } finally {
      for (const s of ['inventory', 'payment'] as const) if (!h.services.get(s)?.running) await h.services.start(s);
    }
  });

  it('when poison lands on every partition of a topic, then each consumer dead-letters it with its reason and other sagas still complete', async () => {
    const poisonId = `poison-${randomUUID()}`;
    const envelope = (p: number, over: Record<string, string | undefined> = {}): Record<string, string> => {
      const headers: Record<string, string | undefined> = {
        id: randomUUID(),
        eventId: randomUUID(),
        eventType: 'InventoryReserved',
        aggregateType: 'reservation',
        aggregateId: `${poisonId}-${p}`,
        aggregateSeq: '1',
        sagaId: `${poisonId}-${p}`,
        occurredAt: new Date().toISOString(),
        schemaVersion: '1',
        poison: poisonId,
        ...over,
      };
      return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
    };
    const validPayload = (p: number) => JSON.stringify({ orderId: `${poisonId}-${p}`, items: [{ sku: 'x', quantity: 1 }] });
    const kinds: readonly [string, (p: number) => OutgoingRecord][] = [
      ['NOT_JSON', (p) => ({ key: `${poisonId}-${p}`, value: '{"orderId": nope', headers: envelope(p) })],
      [
        'UNKNOWN_EVENT_TYPE',
        (p) => ({ key: `${poisonId}-${p}`, value: validPayload(p), headers: envelope(p, { eventType: 'InventoryTeleported' }) }),
      ],
      ['ENVELOPE_INVALID', (p) => ({ key: `${poisonId}-${p}`, value: validPayload(p), headers: envelope(p, { eventId: undefined }) })],
      ['PAYLOAD_INVALID', (p) => ({ key: `${poisonId}-${p}`, value: JSON.stringify({ orderId: 42 }), headers: envelope(p) })],
      ['UNSUPPORTED_VERSION', (p) => ({ key: `${poisonId}-${p}`, value: validPayload(p), headers: envelope(p, { schemaVersion: '99' }) })],
      ['ENVELOPE_INVALID', () => ({ key: null, value: null, headers: { poison: poisonId } })],
    ];
    const consumers = ['order', 'payment'] as const; // the two groups that read reservation.events
    const deadBefore = Object.fromEntries(
      await Promise.all(consumers.map(async (s) => [s, await h.metric(s, 'choreo_messages_dead_lettered_total')] as const)),
    );

    const partitions = h.cfg.topics.partitions;
    const expectedCode = new Map<string, string>();
    for (let p = 0; p < partitions; p++) {
      const [code, make] = kinds[p % kinds.length]!;
      const record = { ...make(p), partition: p };
      await h.injector.injectRaw(TOPICS.reservation, [record]);
      expectedCode.set(String(p), code);
    }

    // A saga placed after the poison: its InventoryReserved queues behind a poison record on its partition.
    const { sku } = await h.fixtures.product({ priceCents: 300, available: 2 });
    const customer = await h.fixtures.customer(1_000);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    h.latency.record('behind poison', order!);
    expect(order!.status).toBe('CONFIRMED');

    for (const service of consumers) {
      const dead = await h.tap.waitForRecords(
        (r) =>
          r.topic === `${TOPICS.reservation}.dlq` && r.headers['poison'] === poisonId && r.headers['dlq.consumer'] === `${service}-service`,
        {
          description: `${service}-service to dead-letter the poison of every partition`,
          enough: (m) => new Set(m.map((r) => r.headers['dlq.origin.partition'])).size === partitions,
        },
      );
      for (const r of dead) {
        expect(r.headers['dlq.origin.topic']).toBe(TOPICS.reservation);
        expect(r.headers['dlq.error.code']).toBe(expectedCode.get(r.headers['dlq.origin.partition']!));
        expect(r.headers['dlq.error.message']).toBeTruthy();
      }
      expect(await h.metric(service, 'choreo_messages_dead_lettered_total')).toBeGreaterThanOrEqual(deadBefore[service]! + partitions);
    }
    await h.waitForSagaQuiet(placed.orderId);
  });
});
