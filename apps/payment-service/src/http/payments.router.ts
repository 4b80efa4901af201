import { adminRoute, notFound, route, type Pool, type Route } from '@choreo/platform';
import { findPaymentHistory } from '../persistence/ledger.repository';
import { findPayment } from '../persistence/payment.repository';
import * as api from './payment.endpoints';
import { getPaymentHistory } from './payment-history.endpoints';
import { isPublicPayment, paymentView } from './payment.view';

export function paymentsRouter({ pool, adminToken }: { readonly pool: Pool; readonly adminToken: string }): Route[] {
  return [
    route(api.getPayment, async ({ params }, res) => {
      const payment = await findPayment(pool, params.orderId);
      if (!isPublicPayment(payment)) throw notFound('PAYMENT.NOT_FOUND', `no payment for order ${params.orderId}`);
      res.json(paymentView(payment));
    }),

    adminRoute(adminToken, getPaymentHistory, async ({ params: { orderId } }, res) => {
      const { payment, ledger } = await findPaymentHistory(pool, orderId);
      if (!payment) throw notFound('PAYMENT.ORDER_UNKNOWN', `payment-service has not heard of order ${orderId}`);
      res.json({ orderId, payment, ledger });
    }),
  ];
}
