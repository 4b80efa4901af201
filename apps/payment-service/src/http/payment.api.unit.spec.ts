import { describeServiceApi } from '@choreo/testing';
import { PAYMENT_ENDPOINTS } from './payment.endpoints';
import { paymentRoutes } from './payment.routes';

describeServiceApi({
  title: 'payment-service',
  endpoints: PAYMENT_ENDPOINTS,
  routes: (pool, adminToken) => paymentRoutes({ pool, adminToken }),
  samples: {
    setAccount: { params: { customerId: 'alice' }, body: { balanceCents: 10_000 } },
    getAccount: { params: { customerId: 'alice' } },
    getPayment: { params: { orderId: 'o-1' } },
  },
});
