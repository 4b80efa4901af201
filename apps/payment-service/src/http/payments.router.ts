import { Router } from 'express';
import { z } from 'zod';
import { notFound, parse, type Pool } from '@choreo/platform';
import { findPayment } from '../persistence/payment.repository';
import { isPublicPayment, paymentView } from './payment.view';

const orderId = z.string().min(1).max(100);

export function paymentsRouter({ pool }: { readonly pool: Pool }): Router {
  const router = Router();

  router.get('/payments/:orderId', async (req, res) => {
    const payment = await findPayment(pool, parse(orderId, req.params.orderId));
    if (!isPublicPayment(payment)) throw notFound('PAYMENT.NOT_FOUND', `no payment for order ${req.params.orderId}`);
    res.json(paymentView(payment));
  });

  return router;
}
