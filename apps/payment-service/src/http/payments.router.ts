import { notFound, route, type Pool, type Route } from '@choreo/platform';
import { findPayment } from '../persistence/payment.repository';
import * as api from './payment.endpoints';
import { isPublicPayment, paymentView } from './payment.view';

export function paymentsRouter({ pool }: { readonly pool: Pool }): Route[] {
  return [
    route(api.getPayment, async ({ params }, res) => {
      const payment = await findPayment(pool, params.orderId);
      if (!isPublicPayment(payment)) throw notFound('PAYMENT.NOT_FOUND', `no payment for order ${params.orderId}`);
      res.json(paymentView(payment));
    }),
  ];
}
