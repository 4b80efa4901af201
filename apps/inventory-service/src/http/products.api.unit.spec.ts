import { describeServiceApi } from '@choreo/testing';
import { PRODUCT_ENDPOINTS } from './products.endpoints';
import { productsRouter } from './products.router';

describeServiceApi({
  title: 'inventory-service',
  endpoints: PRODUCT_ENDPOINTS,
  routes: (pool, adminToken) => productsRouter({ pool, adminToken }),
  samples: {
    upsertProduct: { params: { sku: 'apple' }, body: { name: 'Apple', priceCents: 120, available: 10 } },
    getProduct: { params: { sku: 'apple' } },
  },
});
