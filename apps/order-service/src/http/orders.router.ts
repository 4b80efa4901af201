import { Router } from 'express';
import { z } from 'zod';
import { badRequest, notFound, parse, withTransaction, type Pool } from '@choreo/platform';
import { decideOrder } from '../application/order.use-cases';
import { placeOrder } from '../application/place-order.use-case';
import { findOrder } from '../persistence/order.repository';
import { orderView } from './order.view';

const placeOrderBody = z
  .object({
    customerId: z.string().trim().min(1).max(100),
    items: z
      .array(z.object({ sku: z.string().trim().min(1).max(100), quantity: z.number().int().positive().max(10_000) }).strict())
      .min(1)
      .max(100),
  })
  .strict();
const idempotencyKey = z.string().trim().min(1).max(200);
const orderId = z.string().min(1).max(100);

export interface OrdersRouterDeps {
  readonly pool: Pool;
  /** Placing an order fixes its deadline: now plus this. */
  readonly sagaTimeoutMs: number;
  /** Called after a state change made outside the consumer, so parked events can settle. */
  readonly afterChange: (orderId: string) => void;
}

export function ordersRouter({ pool, sagaTimeoutMs, afterChange }: OrdersRouterDeps): Router {
  const router = Router();

  router.post('/orders', async (req, res) => {
    const key = req.get('idempotency-key');
    if (key === undefined) throw badRequest('ORDER.IDEMPOTENCY_KEY_REQUIRED', 'the Idempotency-Key header is required');
    const body = parse(placeOrderBody, req.body);
    const { order, replayed } = await placeOrder(pool, parse(idempotencyKey, key), body, sagaTimeoutMs);
    res
      .status(replayed ? 200 : 201)
      .location(`/orders/${order.orderId}`)
      .set('Idempotent-Replayed', String(replayed))
      .json(orderView(order));
  });

  router.get('/orders/:orderId', async (req, res) => {
    const order = await findOrder(pool, parse(orderId, req.params.orderId));
    if (!order) throw notFound('ORDER.NOT_FOUND', `no order ${req.params.orderId}`);
    res.json(orderView(order));
  });

  router.post('/orders/:orderId/cancel', async (req, res) => {
    const id = parse(orderId, req.params.orderId);
    const outcome = await withTransaction(pool, (tx) => decideOrder(tx, { type: 'CancelOrder', orderId: id, reason: 'CUSTOMER_REQUEST' }));
    if (outcome.kind === 'apply') afterChange(id);
    const order = await findOrder(pool, id);
    if (!order) throw notFound('ORDER.NOT_FOUND', `no order ${id}`);
    res.json(orderView(order));
  });

  return router;
}
