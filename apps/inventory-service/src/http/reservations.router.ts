import { adminRoute, notFound, type Pool, type Route } from '@choreo/platform';
import { findReservation } from '../persistence/reservation.repository';
import { getReservation } from './reservations.endpoints';

export function reservationsRouter({ pool, adminToken }: { pool: Pool; adminToken: string }): Route[] {
  return [
    adminRoute(adminToken, getReservation, async ({ params }, res) => {
      const found = await findReservation(pool, params.orderId);
      if (!found) throw notFound('RESERVATION.NOT_FOUND', `no reservation for order ${params.orderId}`);
      const { state, createdAt, updatedAt } = found;
      res.json({
        orderId: state.orderId,
        status: state.status,
        lines: 'items' in state ? state.items.map(({ sku, quantity }) => ({ sku, quantity })) : [],
        shortages: state.status === 'REJECTED' ? state.shortages : [],
        createdAt,
        updatedAt,
      });
    }),
  ];
}
