import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createHttpApp, createLogger, createMetricsRegistry, createPool, openApiDocument } from '@choreo/platform';
import { describeHttpEdges } from '@choreo/testing';
import { PAYMENT_ENDPOINTS } from './payment.endpoints';
import { paymentRoutes } from './payment.routes';

const ADMIN = 'test-admin-token';
const logger = createLogger('payment-api-test', 'silent');
/** Never reached by a refused request; a request that does reach the database fails with a 500. */
const pool = createPool('postgres://nobody@127.0.0.1:1/none', logger);
const app = createHttpApp({
  logger,
  metrics: createMetricsRegistry('payment-api-test'),
  readiness: {},
  title: 'payment-service',
  routes: paymentRoutes({ pool, adminToken: ADMIN }),
});

describe('payment-service OpenAPI document', () => {
  it('when the endpoints change, then docs/api/payment-service.openapi.json is regenerated (npx vitest run -u) or this fails', async () => {
    const document = openApiDocument('payment-service', PAYMENT_ENDPOINTS);
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot('../../../../docs/api/payment-service.openapi.json');
    expect((await request(app).get('/openapi.json')).body).toEqual(document);
  });
});

describeHttpEdges(
  () => app,
  PAYMENT_ENDPOINTS,
  {
    setAccount: { params: { customerId: 'alice' }, body: { balanceCents: 10_000 } },
    getAccount: { params: { customerId: 'alice' } },
    getPayment: { params: { orderId: 'o-1' } },
  },
  ADMIN,
);
