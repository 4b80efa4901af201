import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createHttpApp, createLogger, createMetricsRegistry, createPool, openApiDocument } from '@choreo/platform';
import { describeHttpEdges } from '@choreo/testing';
import { PRODUCT_ENDPOINTS } from './products.endpoints';
import { productsRouter } from './products.router';

const ADMIN = 'test-admin-token';
const logger = createLogger('inventory-api-test', 'silent');
/** Never reached by a refused request; a request that does reach the database fails with a 500. */
const pool = createPool('postgres://nobody@127.0.0.1:1/none', logger);
const app = createHttpApp({
  logger,
  metrics: createMetricsRegistry('inventory-api-test'),
  readiness: {},
  title: 'inventory-service',
  routes: productsRouter({ pool, adminToken: ADMIN }),
});

describe('inventory-service OpenAPI document', () => {
  it('when the endpoints change, then docs/api/inventory-service.openapi.json is regenerated (npx vitest run -u) or this fails', async () => {
    const document = openApiDocument('inventory-service', PRODUCT_ENDPOINTS);
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot('../../../../docs/api/inventory-service.openapi.json');
    expect((await request(app).get('/openapi.json')).body).toEqual(document);
  });
});

describeHttpEdges(
  () => app,
  PRODUCT_ENDPOINTS,
  {
    upsertProduct: { params: { sku: 'apple' }, body: { name: 'Apple', priceCents: 120, available: 10 } },
    getProduct: { params: { sku: 'apple' } },
  },
  ADMIN,
);
