import { OPERATOR_ENDPOINTS, operatorRoutes } from '@choreo/service-host';
import { describeServiceApi } from '@choreo/testing';
import { listOpenSagas } from './open-sagas.endpoints';
import { ORDER_ENDPOINTS } from './orders.endpoints';
import { ordersRouter } from './orders.router';

describeServiceApi({
  title: 'order-service',
  endpoints: [...ORDER_ENDPOINTS, listOpenSagas, ...OPERATOR_ENDPOINTS],
  routes: (pool, adminToken) => [
    ...ordersRouter({ pool, sagaTimeoutMs: 1_000, afterChange: () => undefined, adminToken }),
    ...operatorRoutes({ pool, consumer: 'order-service', adminToken }),
  ],
  samples: {
    placeOrder: { headers: { 'Idempotency-Key': 'k-1' }, body: { customerId: 'alice', items: [{ sku: 'apple', quantity: 1 }] } },
    getOrder: { params: { orderId: 'o-1' } },
    cancelOrder: { params: { orderId: 'o-1' } },
    getSagaInbox: { params: { sagaId: 'o-1' } },
  },
});
