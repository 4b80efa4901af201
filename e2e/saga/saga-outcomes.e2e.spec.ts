import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eHarness, type OrderView } from '@choreo/testing';

/**
 * The saga's four outcomes on the whole stack (HTTP → outbox → Debezium → Kafka → consumers),
 * docs/architecture.md §4. Each test owns its sku and customer, so state is read exactly.
 */
let h: E2eHarness;

beforeAll(async () => {
  h = await E2eHarness.start();
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

const placeAndFinish = async (label: string, customerId: string, sku: string, quantity: number): Promise<OrderView> => {
  const placed = await h.fixtures.placeOrder({ customerId, items: [{ sku, quantity }] });
  expect(placed.status).toBe('PENDING');
  const [order] = await h.waitForTerminal([placed.orderId]);
  h.latency.record(label, order!);
  await h.waitForSagaQuiet(placed.orderId);
  return order!;
};

describe('saga outcomes', () => {
  it('when stock and funds suffice, then the order is CONFIRMED, stock sold, balance debited once, payment CAPTURED, and the timeline has every step', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 1_250, available: 5 });
    const customer = await h.fixtures.customer(10_000);

    const order = await placeAndFinish('happy path', customer, sku, 2);

    expect(order).toMatchObject({
      status: 'CONFIRMED',
      customerId: customer,
      totalCents: 2_500,
      items: [{ sku, quantity: 2, unitPriceCents: 1_250 }],
    });
    expect(order.cancellationReason).toBeUndefined();
    expect(order.timeline.map((t) => t.step)).toEqual(['PLACED', 'RESERVED', 'PAID', 'CONFIRMED']);
    const stamps = order.timeline.map((t) => Date.parse(t.at));
    expect(stamps.every(Number.isFinite)).toBe(true);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 3, reserved: 0, sold: 2 });
    expect((await h.payments.getPayment(order.orderId)).body()).toEqual({ orderId: order.orderId, status: 'CAPTURED', amountCents: 2_500 });
    expect((await h.payments.getAccount(customer)).body()).toEqual({ customerId: customer, balanceCents: 7_500 });
    expect(await h.dbs.ledger(order.orderId)).toEqual([{ kind: 'CHARGE', amountCents: -2_500 }]);
  });

  it('when the sku has too little stock, then the order is CANCELLED OUT_OF_STOCK, nothing is held and no money moves', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 700, available: 1 });
    const customer = await h.fixtures.customer(10_000);

    const order = await placeAndFinish('out of stock', customer, sku, 2);

    expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
    expect(order.timeline.map((t) => [t.step, t.reason])).toEqual([
      ['PLACED', undefined],
      ['CANCELLED', 'OUT_OF_STOCK'],
    ]);
    expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 1, reserved: 0, sold: 0 });
    expect((await h.payments.getAccount(customer)).body().balanceCents).toBe(10_000);
    expect((await h.payments.getPayment(order.orderId)).status).toBe(404);
    expect(await h.dbs.ledger(order.orderId)).toEqual([]);
  });

  it('when the customer cannot pay, then the order is CANCELLED PAYMENT_DECLINED, the stock is released and no money moves', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 2_000, available: 4 });
    const customer = await h.fixtures.customer(1_999);

    const order = await placeAndFinish('insufficient funds', customer, sku, 1);

    expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    expect(order.timeline.map((t) => t.step)).toEqual(['PLACED', 'RESERVED', 'CANCELLED']);
    expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 4, reserved: 0, sold: 0 });
    expect((await h.payments.getAccount(customer)).body().balanceCents).toBe(1_999);
    expect((await h.payments.getPayment(order.orderId)).body()).toMatchObject({ status: 'DECLINED' });
    expect(await h.dbs.ledger(order.orderId)).toEqual([]);
  });

  it('when the customer cancels while payment is still outstanding, then the order is CANCELLED CUSTOMER_REQUEST, the stock is released and no money is kept', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 900, available: 3 });
    const customer = await h.fixtures.customer(5_000);
    // Payment held: with payment-service stopped the saga cannot get past AWAITING_PAYMENT.
    expect(await h.services.stop('payment')).toMatchObject({ code: 0 });
    try {
      const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 2 }] });
      await h.waitForOrderStatus(placed.orderId, 'AWAITING_PAYMENT');
      expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 1, reserved: 2 });

      const cancelled = (await h.orders.cancel(placed.orderId)).body(200);
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CUSTOMER_REQUEST' });
      h.latency.record('customer cancel', cancelled);
      expect(cancelled.timeline.map((t) => t.step)).toEqual(['PLACED', 'RESERVED', 'CANCELLED']);
      await h.sagas.waitForProduct(sku, (p) => p.reserved === 0, 'reservation released');
      expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 3, reserved: 0, sold: 0 });

      await h.services.start('payment');
      await h.waitForSagaQuiet(placed.orderId);
      expect((await h.payments.getAccount(customer)).body().balanceCents).toBe(5_000);
      const payment = await h.payments.getPayment(placed.orderId);
      if (payment.status !== 404) expect(payment.body()).toMatchObject({ status: 'REFUNDED', amountCents: 1_800 });
      expect((await h.dbs.ledger(placed.orderId)).reduce((sum, m) => sum + m.amountCents, 0)).toBe(0);
      expect((await h.orders.get(placed.orderId)).body().status).toBe('CANCELLED');
    } finally {
      if (!h.services.get('payment')?.running) await h.services.start('payment');
    }
  });

  it('when payment-service is down past the saga deadline, then the order is CANCELLED TIMEOUT, the stock is released, and once payment-service is back no money is kept', async () => {
    const timeoutMs = 4_000;
    const { sku } = await h.fixtures.product({ priceCents: 1_100, available: 2 });
    const customer = await h.fixtures.customer(3_000);
    await h.services.restart('order', { env: { SAGA_TIMEOUT_MS: String(timeoutMs) } });
    expect(await h.services.stop('payment')).toMatchObject({ code: 0 });
    try {
      const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });

      const order = await h.sagas.waitForOrder(
        placed.orderId,
        (o) => o.status === 'CANCELLED',
        'cancelled by its deadline',
        timeoutMs + 15_000,
      );
      h.latency.record('timeout', order);
      expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
      const placedAt = Date.parse(order.timeline[0]!.at);
      const cancelledAt = Date.parse(order.timeline.at(-1)!.at);
      expect(cancelledAt - placedAt).toBeGreaterThanOrEqual(timeoutMs);
      await h.sagas.waitForProduct(sku, (p) => p.reserved === 0 && p.available === 2, 'reservation released');

      await h.services.start('payment');
      await h.waitForSagaQuiet(placed.orderId);
      expect((await h.payments.getAccount(customer)).body().balanceCents).toBe(3_000);
      const payment = await h.payments.getPayment(placed.orderId);
      if (payment.status !== 404) expect(payment.body()).toMatchObject({ status: 'REFUNDED', amountCents: 1_100 });
      expect((await h.dbs.ledger(placed.orderId)).reduce((sum, m) => sum + m.amountCents, 0)).toBe(0);
      expect((await h.inventory.getProduct(sku)).body()).toMatchObject({ available: 2, reserved: 0, sold: 0 });
      expect((await h.orders.get(placed.orderId)).body()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
    } finally {
      if (!h.services.get('payment')?.running) await h.services.start('payment');
      await h.services.restart('order', { env: { SAGA_TIMEOUT_MS: String(h.cfg.sagaTimeoutMs) } });
    }
  });
});
