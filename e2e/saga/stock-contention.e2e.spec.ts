import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eHarness, type ProductView } from '@choreo/testing';

/** Inventory never oversells (docs/architecture.md §5, invariant 2): many sagas racing for the last units of one sku. */
let h: E2eHarness;

beforeAll(async () => {
  h = await E2eHarness.start();
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

describe('stock contention', () => {
  it('when 60 customers order 1 each of a sku with 10 units at once, then exactly 10 are CONFIRMED and sold, the other 50 CANCELLED OUT_OF_STOCK, and only the 10 pay', async () => {
    const units = 10;
    const orders = 60;
    const price = 500;
    const { sku } = await h.fixtures.product({ priceCents: price, available: units });
    const customers = await Promise.all(Array.from({ length: orders }, () => h.fixtures.customer(1_000)));

    const samples: ProductView[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push((await h.inventory.getProduct(sku)).body());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const placed = await Promise.all(customers.map((customerId) => h.fixtures.placeOrder({ customerId, items: [{ sku, quantity: 1 }] })));
    const finished = await h.waitForTerminal(
      placed.map((o) => o.orderId),
      60_000,
    );
    sampling = false;
    await sampler;
    h.latency.recordAll(`${orders} orders for ${units} units`, finished);

    const confirmed = finished.filter((o) => o.status === 'CONFIRMED');
    const cancelled = finished.filter((o) => o.status === 'CANCELLED');
    expect(confirmed).toHaveLength(units);
    expect(cancelled).toHaveLength(orders - units);
    expect(new Set(cancelled.map((o) => o.cancellationReason))).toEqual(new Set(['OUT_OF_STOCK']));

    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.available).toBeGreaterThanOrEqual(0);
      expect(s.available + s.reserved + s.sold).toBe(units);
    }
    const product = await h.sagas.waitForProduct(sku, (p) => p.sold === units && p.reserved === 0, 'every reservation committed');
    expect(product).toMatchObject({ available: 0, reserved: 0, sold: units });

    for (const o of finished) await h.waitForSagaQuiet(o.orderId, { timeoutMs: 60_000 });
    const balances = await Promise.all(
      finished.map(async (o) => [o.status, (await h.payments.getAccount(o.customerId)).body().balanceCents] as const),
    );
    expect(balances.filter(([s]) => s === 'CONFIRMED').map(([, b]) => b)).toEqual(Array(units).fill(1_000 - price));
    expect(balances.filter(([s]) => s === 'CANCELLED').map(([, b]) => b)).toEqual(Array(orders - units).fill(1_000));
    const payments = await Promise.all(finished.map(async (o) => [o.status, (await h.payments.getPayment(o.orderId)).json] as const));
    for (const [status, payment] of payments) {
      if (status === 'CONFIRMED') expect(payment).toMatchObject({ status: 'CAPTURED', amountCents: price });
      else expect(payment).toMatchObject({ status: 404 });
    }
  });
});
