import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@choreo/contracts';
import { metricsRead } from '@choreo/observability';
import type { ServiceName } from '@choreo/stack';
import { E2eHarness, waitFor } from '@choreo/testing';

/**
 * The consistency metrics (docs/operations.md) read back from real scrapes while sagas are
 * driven into each state: confirmed, compensated, stuck past their deadline, parked and
 * dead-lettered. Every series an alert rule or the dashboard reads must be among them.
 */
let h: E2eHarness;
const SERVICES: readonly ServiceName[] = ['order', 'inventory', 'payment'];

beforeAll(async () => {
  h = await E2eHarness.start();
});

afterAll(async () => {
  await h?.close();
});

const sagaMetric = (name: string, labels: Record<string, string> = {}) => h.metric('order', name, labels);
const ensureRunning = async () => {
  for (const s of SERVICES) if (!h.services.get(s)?.running) await h.services.start(s);
};

describe('consistency metrics, from a real scrape', () => {
  it('when a saga confirms, then its duration, its status and the POST /orders that started it are counted', async () => {
    const confirmedBefore = await sagaMetric('choreo_saga_duration_seconds_count', { outcome: 'confirmed' });
    const statusBefore = await sagaMetric('choreo_sagas', { status: 'CONFIRMED' });
    const postsBefore = await sagaMetric('choreo_http_requests_total', { method: 'POST', route: '/orders', status: '201' });
    const { sku } = await h.fixtures.product({ priceCents: 200, available: 5 });
    const customer = await h.fixtures.customer(1_000);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order!.status).toBe('CONFIRMED');

    expect(await sagaMetric('choreo_saga_duration_seconds_count', { outcome: 'confirmed' })).toBe(confirmedBefore + 1);
    expect(await sagaMetric('choreo_sagas', { status: 'CONFIRMED' })).toBe(statusBefore + 1);
    expect(await sagaMetric('choreo_http_requests_total', { method: 'POST', route: '/orders', status: '201' })).toBe(postsBefore + 1);
    expect(await sagaMetric('choreo_saga_duration_seconds_bucket', { outcome: 'confirmed', le: '+Inf' })).toBe(confirmedBefore + 1);
    expect(await sagaMetric('choreo_http_request_duration_seconds_count', { method: 'GET', route: '/orders/:orderId' })).toBeGreaterThan(0);
  });

  it('when a payment is declined after the stock was reserved, then the compensation is counted under its reason', async () => {
    const before = await sagaMetric('choreo_saga_compensations_total', { reason: 'PAYMENT_DECLINED' });
    const { sku } = await h.fixtures.product({ priceCents: 5_000, available: 2 });
    const customer = await h.fixtures.customer(100);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order!.timeline.map((t) => t.step)).toEqual(['PLACED', 'RESERVED', 'CANCELLED']);
    expect(await sagaMetric('choreo_saga_compensations_total', { reason: 'PAYMENT_DECLINED' })).toBe(before + 1);
    expect(await sagaMetric('choreo_saga_duration_seconds_count', { outcome: 'cancelled' })).toBeGreaterThan(0);
  });

  it('when an event arrives before the one it depends on, then it shows as parked with its age until it is released', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 300, available: 2 });
    const customer = await h.fixtures.customer(1_000);
    await h.services.stop('inventory');
    await h.services.stop('payment');
    try {
      const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
      await h.injector.inject({
        type: 'PaymentAuthorized',
        aggregateId: placed.orderId,
        seq: 1,
        payload: { orderId: placed.orderId, customerId: customer, amountCents: 300 },
      });
      await waitFor(
        async () =>
          (await sagaMetric('choreo_events_parked_current')) >= 1 && (await sagaMetric('choreo_events_parked_oldest_age_seconds')) > 0,
        { timeoutMs: 20_000, description: 'order-service to report the early PaymentAuthorized as parked, with an age' },
      );
      await ensureRunning();
      const [order] = await h.waitForTerminal([placed.orderId]);
      expect(order!.status).toBe('CONFIRMED');
      await waitFor(async () => (await sagaMetric('choreo_events_parked_current')) === 0, {
        timeoutMs: 20_000,
        description: 'the parked event released',
      });
      expect(await sagaMetric('choreo_events_parked_oldest_age_seconds')).toBe(0);
    } finally {
      await ensureRunning();
    }
  });

  it('when poison lands on a topic, then each consumer that reads it counts a record on its dead-letter topic', async () => {
    const dlq = `${TOPICS.reservation}.dlq`;
    const before = Object.fromEntries(
      await Promise.all(
        (['order', 'payment'] as const).map(async (s) => [s, await h.metric(s, 'choreo_dlq_records', { topic: dlq })] as const),
      ),
    );
    const id = `metrics-poison-${randomUUID()}`;
    await h.injector.injectRaw(TOPICS.reservation, [
      { key: id, value: '{"orderId": nope', headers: { eventId: randomUUID(), poison: id }, partition: 0 },
    ]);
    for (const s of ['order', 'payment'] as const) {
      await waitFor(async () => (await h.metric(s, 'choreo_dlq_records', { topic: dlq })) >= before[s]! + 1, {
        timeoutMs: 30_000,
        description: `${s}-service to count the poison on ${dlq}`,
      });
    }
  });

  it('when every event has been consumed, then each group reports its lag per partition, down to zero', async () => {
    for (const s of SERVICES) {
      const lag = (await h.metrics(s)).filter((x) => x.name === 'choreo_consumer_lag');
      expect(lag.length, `${s} lag series`).toBeGreaterThanOrEqual(h.cfg.topics.partitions);
      expect(new Set(lag.map((x) => x.labels['partition'])).size).toBe(h.cfg.topics.partitions);
      await waitFor(async () => (await h.metric(s, 'choreo_consumer_lag')) === 0, { timeoutMs: 30_000, description: `${s} caught up` });
    }
  });

  it('when order-service cannot run its deadline sweeper and inventory is down, then the saga shows as stuck past its deadline, and no longer once it ends', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 100, available: 1 });
    const customer = await h.fixtures.customer(1_000);
    await h.services.stop('order');
    await h.services.start('order', {
      env: { SAGA_TIMEOUT_MS: '1500', DEADLINE_SWEEP_INTERVAL_MS: '3600000', SAGA_STUCK_AFTER_MS: '1000' },
    });
    await h.services.stop('inventory');
    try {
      const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
      await waitFor(
        async () =>
          (await sagaMetric('choreo_sagas_stuck', { kind: 'past_deadline' })) >= 1 &&
          (await sagaMetric('choreo_sagas_stuck', { kind: 'older_than_threshold' })) >= 1,
        { timeoutMs: 20_000, description: 'the open saga counted past its deadline and older than the threshold' },
      );
      expect((await h.orders.get(placed.orderId)).body().status).toBe('PENDING');

      // The sweeper back: the saga is cancelled at once (TIMEOUT), and nothing is stuck.
      await h.services.stop('order');
      await ensureRunning();
      const [order] = await h.waitForTerminal([placed.orderId]);
      expect(order!.status).toBe('CANCELLED');
      await waitFor(async () => (await sagaMetric('choreo_sagas_stuck', { kind: 'past_deadline' })) === 0, {
        timeoutMs: 20_000,
        description: 'no saga past its deadline',
      });
    } finally {
      if (h.services.get('order')?.running) await h.services.stop('order');
      await ensureRunning();
    }
  });

  it('when the alert rules and the dashboard read a series, then some service exports it', async () => {
    const exported = new Set<string>();
    for (const s of SERVICES) for (const sample of await h.metrics(s)) exported.add(sample.name.replace(/_(bucket|sum|count)$/, ''));
    const read = [...metricsRead()];
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((m) => !exported.has(m))).toEqual([]);
  });
});
