import { adminRoute, notFound, route, withTransaction, type Pool, type Route } from '@choreo/platform';
import { decideOrder } from '../application/order.use-cases';
import { placeOrder } from '../application/place-order.use-case';
import { findOpenSagas } from '../persistence/open-sagas.query';
import { findOrder } from '../persistence/order.repository';
import { listOpenSagas } from './open-sagas.endpoints';
import * as api from './orders.endpoints';
import { orderView } from './order.view';

export interface OrdersRouterDeps {
  readonly pool: Pool;
  /** Placing an order fixes its deadline: now plus this. */
  readonly sagaTimeoutMs: number;
  /** Called after a state change made outside the consumer, so parked events can settle. */
  readonly afterChange: (orderId: string) => void;
  readonly adminToken: string;
}

export function ordersRouter({ pool, sagaTimeoutMs, afterChange, adminToken }: OrdersRouterDeps): Route[] {
  return [
    route(api.placeOrder, async ({ headers, body }, res) => {
      const { order, replayed } = await placeOrder(pool, headers['Idempotency-Key'], body, sagaTimeoutMs);
      res
        .status(replayed ? 200 : 201)
        .location(`/orders/${order.orderId}`)
        .set('Idempotent-Replayed', String(replayed))
        .json(orderView(order));
    }),

    route(api.getOrder, async ({ params }, res) => {
      const order = await findOrder(pool, params.orderId);
      if (!order) throw notFound('ORDER.NOT_FOUND', `no order ${params.orderId}`);
      res.json(orderView(order));
    }),

    route(api.cancelOrder, async ({ params: { orderId } }, res) => {
      const outcome = await withTransaction(pool, (tx) => decideOrder(tx, { type: 'CancelOrder', orderId, reason: 'CUSTOMER_REQUEST' }));
      if (outcome.kind === 'apply') afterChange(orderId);
      const order = await findOrder(pool, orderId);
      if (!order) throw notFound('ORDER.NOT_FOUND', `no order ${orderId}`);
      res.json(orderView(order));
    }),

    adminRoute(adminToken, listOpenSagas, async (_input, res) => {
      res.json({ now: new Date().toISOString(), sagas: await findOpenSagas(pool) });
    }),
  ];
}
