import { causationOf, type Handler } from '@choreo/messaging';
import { decideReservation } from '../application/reservation.use-cases';

export const orderCancelledConsumer =
  (): Handler<'OrderCancelled'> =>
  ({ tx, event, envelope }) =>
    decideReservation(tx, { type: 'OrderCancelled', orderId: event.payload.orderId }, { causation: causationOf(envelope) });
