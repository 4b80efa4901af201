import { describeServiceApi } from '@choreo/testing';
import { ORDER_ENDPOINTS } from './orders.endpoints';
import { ordersRouter } from './orders.router';

describeServiceApi({
  title: 'order-service',
  endpoints: ORDER_ENDPOINTS,
  routes: (pool) => ordersRouter({ pool, sagaTimeoutMs: 1_000, afterChange: () => undefined }),
  samples: {
    placeOrder: { headers: { 'Idempotency-Key': 'k-1' }, body: { customerId: 'alice', items: [{ sku: 'apple', quantity: 1 }] } },
    getOrder: { params: { orderId: 'o-1' } },
    cancelOrder: { params: { orderId: 'o-1' } },
  },
});
