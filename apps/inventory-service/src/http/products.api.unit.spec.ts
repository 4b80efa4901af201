import { OPERATOR_ENDPOINTS, operatorRoutes } from '@choreo/service-host';
import { describeServiceApi } from '@choreo/testing';
import { PRODUCT_ENDPOINTS } from './products.endpoints';
import { productsRouter } from './products.router';
import { getReservation } from './reservations.endpoints';
import { reservationsRouter } from './reservations.router';

describeServiceApi({
  title: 'inventory-service',
  endpoints: [...PRODUCT_ENDPOINTS, getReservation, ...OPERATOR_ENDPOINTS],
  routes: (pool, adminToken) => [
    ...productsRouter({ pool, adminToken }),
    ...reservationsRouter({ pool, adminToken }),
    ...operatorRoutes({ pool, consumer: 'inventory-service', adminToken }),
  ],
  samples: {
    upsertProduct: { params: { sku: 'apple' }, body: { name: 'Apple', priceCents: 120, available: 10 } },
    getProduct: { params: { sku: 'apple' } },
    getReservation: { params: { orderId: 'o-1' } },
    getSagaInbox: { params: { sagaId: 'o-1' } },
  },
});
