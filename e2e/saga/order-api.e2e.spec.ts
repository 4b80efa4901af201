import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eHarness, idempotencyKey, uniqueId, type ApiResponse } from '@choreo/testing';

/**
 * POST /orders at the edge (docs/architecture.md §6, §7): Idempotency-Key semantics under retries and
 * concurrency, and bad input refused with problem details before anything is stored.
 */
let h: E2eHarness;
let sku: string;

beforeAll(async () => {
  h = await E2eHarness.start();
  sku = (await h.fixtures.product({ priceCents: 250, available: 1_000 })).sku;
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

const ordersOf = (customerId: string) => h.dbs.count('order', 'orders', 'customer_id = $1', [customerId]);
const storedRows = async () => ({ ...(await h.dbs.counts('order', ['orders', 'idempotency_keys'])) });

const expectProblem = (res: ApiResponse<unknown>, status: number, code: string) => {
  expect({ status: res.status, contentType: res.contentType.split(';')[0], code: res.problem().code }).toEqual({
    status,
    contentType: 'application/problem+json',
    code,
  });
  expect(res.problem()).toMatchObject({ status, title: code, type: expect.stringMatching(/^https?:\/\//) });
  expect(res.text).not.toMatch(/\bat \S+:\d+|node_modules|SELECT |INSERT /);
};

describe('POST /orders idempotency', () => {
  it('when the same request is retried with its Idempotency-Key, then it answers 200 with the same order and one order exists', async () => {
    const customerId = await h.fixtures.customer(10_000);
    const key = idempotencyKey();
    const body = { customerId, items: [{ sku, quantity: 2 }] };

    const first = await h.orders.place(body, key);
    const retry = await h.orders.place(body, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body().orderId).toBe(first.body().orderId);
    expect(await ordersOf(customerId)).toBe(1);
    const [order] = await h.waitForTerminal([first.body().orderId]);
    h.latency.record('retried POST', order!);
    expect(order!.status).toBe('CONFIRMED');
    expect((await h.payments.getAccount(customerId)).body().balanceCents).toBe(9_500);
  });

  it('when five identical requests with one key race, then exactly one creates the order and all five return it', async () => {
    const customerId = await h.fixtures.customer(10_000);
    const key = idempotencyKey();
    const body = { customerId, items: [{ sku, quantity: 1 }] };

    const answers = await Promise.all(Array.from({ length: 5 }, () => h.orders.place(body, key)));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body().orderId)).size).toBe(1);
    expect(await ordersOf(customerId)).toBe(1);
    const [order] = await h.waitForTerminal([answers[0]!.body().orderId]);
    h.latency.record('concurrent POSTs', order!);
    await h.waitForSagaQuiet(order!.orderId);
    expect(await h.dbs.ledger(order!.orderId)).toEqual([{ kind: 'CHARGE', amountCents: -250 }]);
  });

  it('when a key is reused with a different body, then it is refused 409 ORDER.IDEMPOTENCY_KEY_REUSED and the first order stands alone', async () => {
    const customerId = await h.fixtures.customer(10_000);
    const key = idempotencyKey();
    const first = (await h.orders.place({ customerId, items: [{ sku, quantity: 1 }] }, key)).body(201);

    const reused = await h.orders.place({ customerId, items: [{ sku, quantity: 3 }] }, key);

    expectProblem(reused, 409, 'ORDER.IDEMPOTENCY_KEY_REUSED');
    expect(await ordersOf(customerId)).toBe(1);
    expect((await h.orders.get(first.orderId)).body().items).toEqual([{ sku, quantity: 1, unitPriceCents: 250 }]);
  });

  it('when the sku is not in the catalog, then it is refused 422 ORDER.UNKNOWN_SKU and the key stays unused', async () => {
    const customerId = await h.fixtures.customer(10_000);
    const key = idempotencyKey();
    const before = await storedRows();

    expectProblem(await h.orders.place({ customerId, items: [{ sku: uniqueId('nope'), quantity: 1 }] }, key), 422, 'ORDER.UNKNOWN_SKU');

    expect(await storedRows()).toEqual(before);
    expect((await h.orders.place({ customerId, items: [{ sku, quantity: 1 }] }, key)).status).toBe(201);
  });
});

describe('GET /orders/:id and cancel', () => {
  it('when an order does not exist, then reading or cancelling it is refused 404 ORDER.NOT_FOUND', async () => {
    const id = uniqueId('no-such-order');
    expectProblem(await h.orders.get(id), 404, 'ORDER.NOT_FOUND');
    expectProblem(await h.orders.cancel(id), 404, 'ORDER.NOT_FOUND');
    expect(await h.dbs.count('order', 'orders', 'order_id = $1', [id])).toBe(0);
  });

  it('when a CONFIRMED order is cancelled, then it is refused 409 ORDER.ALREADY_CONFIRMED and stays confirmed, paid and sold', async () => {
    const customerId = await h.fixtures.customer(10_000);
    const placed = await h.fixtures.placeOrder({ customerId, items: [{ sku, quantity: 1 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order!.status).toBe('CONFIRMED');

    expectProblem(await h.orders.cancel(placed.orderId), 409, 'ORDER.ALREADY_CONFIRMED');

    await h.waitForSagaQuiet(placed.orderId);
    expect((await h.orders.get(placed.orderId)).body()).toEqual(order);
    expect((await h.payments.getPayment(placed.orderId)).body().status).toBe('CAPTURED');
  });

  it('when a CANCELLED order is cancelled again, then it answers 200 with the order unchanged', async () => {
    const { sku: scarce } = await h.fixtures.product({ priceCents: 100, available: 0 });
    const customerId = await h.fixtures.customer(10_000);
    const placed = await h.fixtures.placeOrder({ customerId, items: [{ sku: scarce, quantity: 1 }] });
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });

    expect((await h.orders.cancel(placed.orderId)).body(200)).toEqual(order);
  });
});

describe('malformed requests', () => {
  const customerId = 'cust-malformed';
  const good = () => ({ customerId, items: [{ sku, quantity: 1 }] });
  const withItem = (item: Record<string, unknown>) => ({ customerId, items: [{ sku, quantity: 1, ...item }] });
  const table: readonly [string, () => Promise<ApiResponse<unknown>>, number, string][] = [
    ['no Idempotency-Key', () => h.orders.place(good(), null), 400, 'ORDER.IDEMPOTENCY_KEY_REQUIRED'],
    ['a blank Idempotency-Key', () => h.orders.place(good(), '   '), 400, 'REQUEST.INVALID'],
    ['a quantity given as a string', () => h.orders.place(withItem({ quantity: '2' }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a customerId given as a number', () => h.orders.place({ ...good(), customerId: 42 }, idempotencyKey()), 400, 'REQUEST.INVALID'],
    [
      'items given as an object',
      () => h.orders.place({ customerId, items: { sku, quantity: 1 } }, idempotencyKey()),
      400,
      'REQUEST.INVALID',
    ],
    ['a negative quantity', () => h.orders.place(withItem({ quantity: -1 }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a zero quantity', () => h.orders.place(withItem({ quantity: 0 }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a fractional quantity', () => h.orders.place(withItem({ quantity: 1.5 }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a huge quantity', () => h.orders.place(withItem({ quantity: 1e15 }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['no items', () => h.orders.place({ customerId, items: [] }, idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a missing customerId', () => h.orders.place({ items: good().items }, idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['an unknown top-level field', () => h.orders.place({ ...good(), discountCents: 100 }, idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['an unknown item field', () => h.orders.place(withItem({ unitPriceCents: 1 }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a body over 64 kB', () => h.orders.place({ ...good(), customerId: 'x'.repeat(70_000) }, idempotencyKey()), 413, 'REQUEST.TOO_LARGE'],
    [
      'malformed JSON',
      () => h.orders.place(undefined, idempotencyKey(), { rawBody: '{"customerId": "c", "items": [' }),
      400,
      'REQUEST.MALFORMED_JSON',
    ],
    [
      'a non-JSON content type',
      () => h.orders.place(undefined, idempotencyKey(), { rawBody: JSON.stringify(good()), contentType: 'text/plain' }),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a NUL in customerId', () => h.orders.place({ ...good(), customerId: 'a\u0000b' }, idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a NUL in a sku', () => h.orders.place(withItem({ sku: 'a\u0000b' }), idempotencyKey()), 400, 'REQUEST.INVALID'],
    ['a control character in the Idempotency-Key', () => h.orders.place(good(), 'k\u00e9y'), 400, 'REQUEST.INVALID'],
  ];

  const cases = table.map(([what, send, status, code]) => ({ what, send, status, code }));

  it.each(cases)('when POST /orders has $what, then it is refused $status $code and nothing is stored', async ({ send, status, code }) => {
    const before = await storedRows();
    expectProblem(await send(), status, code);
    expect(await storedRows()).toEqual(before);
  });

  it.each([
    ['GET /orders/%E0', () => h.orders.http.request('GET', '/orders/%E0'), 400, 'REQUEST.MALFORMED_URL'],
    ['GET /products/%E0', () => h.inventory.http.request('GET', '/products/%E0'), 400, 'REQUEST.MALFORMED_URL'],
    ['GET /orders/a%00b', () => h.orders.http.request('GET', '/orders/a%00b'), 400, 'REQUEST.INVALID'],
    ['GET /accounts/a%00b', () => h.payments.http.request('GET', '/accounts/a%00b'), 400, 'REQUEST.INVALID'],
    ['DELETE /orders/x', () => h.orders.http.request('DELETE', '/orders/x'), 405, 'HTTP.METHOD_NOT_ALLOWED'],
  ] as const)('when a client sends %s, then it is refused %i %s, never a 5xx', async (_what, send, status, code) => {
    expectProblem(await send(), status, code);
  });

  it('when a product name holds a NUL, then it is refused 400 and the product is not created', async () => {
    const newSku = uniqueId('sku');
    expectProblem(await h.inventory.putProduct(newSku, { name: 'a\u0000b', priceCents: 1, available: 1 }), 400, 'REQUEST.INVALID');
    expectProblem(await h.inventory.getProduct(newSku), 404, 'PRODUCT.NOT_FOUND');
  });

  it('when an admin route is called without the admin token or with a wrong one, then it is refused 401 and changes nothing', async () => {
    const newSku = uniqueId('sku');
    const newCustomer = uniqueId('cust');
    const product = { name: 'Nope', priceCents: 1, available: 1 };
    for (const token of [null, 'wrong-token', `${h.cfg.adminToken}x`]) {
      expectProblem(await h.inventory.putProduct(newSku, product, token), 401, 'AUTH.ADMIN_TOKEN_REQUIRED');
      expectProblem(await h.payments.putAccount(newCustomer, { balanceCents: 1_000_000 }, token), 401, 'AUTH.ADMIN_TOKEN_REQUIRED');
      expectProblem(await h.payments.putAccount(customerId, { balanceCents: 1_000_000 }, token), 401, 'AUTH.ADMIN_TOKEN_REQUIRED');
    }
    expectProblem(await h.inventory.getProduct(newSku), 404, 'PRODUCT.NOT_FOUND');
    expectProblem(await h.payments.getAccount(newCustomer), 404, 'ACCOUNT.NOT_FOUND');
  });

  it('when an admin writes an invalid product or balance, then it is refused 400 and changes nothing', async () => {
    const existing = (await h.inventory.getProduct(sku)).body();
    expectProblem(await h.inventory.putProduct(sku, { name: 'x', priceCents: -1, available: 1 }), 400, 'REQUEST.INVALID');
    expectProblem(await h.inventory.putProduct(sku, { name: 'x', priceCents: 1, available: -5 }), 400, 'REQUEST.INVALID');
    expectProblem(await h.inventory.putProduct(sku, { name: 'x', priceCents: 1, available: 1, sold: 0 }), 400, 'REQUEST.INVALID');
    expectProblem(await h.payments.putAccount(uniqueId('cust'), { balanceCents: -1 }), 400, 'REQUEST.INVALID');
    expectProblem(await h.payments.putAccount(uniqueId('cust'), { balanceCents: '100' }), 400, 'REQUEST.INVALID');
    expect((await h.inventory.getProduct(sku)).body()).toEqual(existing);
  });
});
