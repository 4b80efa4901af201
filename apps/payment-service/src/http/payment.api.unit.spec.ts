import { OPERATOR_ENDPOINTS, operatorRoutes } from '@choreo/service-host';
import { describeServiceApi } from '@choreo/testing';
import { PAYMENT_ENDPOINTS } from './payment.endpoints';
import { getPaymentHistory } from './payment-history.endpoints';
import { paymentRoutes } from './payment.routes';

describeServiceApi({
  title: 'payment-service',
  endpoints: [...PAYMENT_ENDPOINTS, getPaymentHistory, ...OPERATOR_ENDPOINTS],
  routes: (pool, adminToken) => [
    ...paymentRoutes({ pool, adminToken }),
    ...operatorRoutes({ pool, consumer: 'payment-service', adminToken }),
  ],
  samples: {
    setAccount: { params: { customerId: 'alice' }, body: { balanceCents: 10_000 } },
    getAccount: { params: { customerId: 'alice' } },
    getPayment: { params: { orderId: 'o-1' } },
    getPaymentHistory: { params: { orderId: 'o-1' } },
    getSagaInbox: { params: { sagaId: 'o-1' } },
  },
});
