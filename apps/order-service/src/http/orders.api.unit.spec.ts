import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createHttpApp, createLogger, createMetricsRegistry, createPool, openApiDocument } from '@choreo/platform';
import { describeHttpEdges } from '@choreo/testing';
import { ORDER_ENDPOINTS } from './orders.endpoints';
import { ordersRouter } from './orders.router';

const logger = createLogger('order-api-test', 'silent');
/** Never reached by a refused request; a request that does reach the database fails with a 500. */
const pool = createPool('postgres://nobody@127.0.0.1:1/none', logger);
const app = createHttpApp({
  logger,
  metrics: createMetricsRegistry('order-api-test'),
  readiness: {},
  title: 'order-service',
  routes: ordersRouter({ pool, sagaTimeoutMs: 1_000, afterChange: () => undefined }),
});

describe('order-service OpenAPI document', () => {
  it('when the endpoints change, then docs/api/order-service.openapi.json is regenerated (npx vitest run -u) or this fails', async () => {
    const document = openApiDocument('order-service', ORDER_ENDPOINTS);
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot('../../../../docs/api/order-service.openapi.json');
    expect((await request(app).get('/openapi.json')).body).toEqual(document);
  });
});

describeHttpEdges(
  () => app,
  ORDER_ENDPOINTS,
  {
    placeOrder: { headers: { 'Idempotency-Key': 'k-1' }, body: { customerId: 'alice', items: [{ sku: 'apple', quantity: 1 }] } },
    getOrder: { params: { orderId: 'o-1' } },
    cancelOrder: { params: { orderId: 'o-1' } },
  },
  'unused',
);
