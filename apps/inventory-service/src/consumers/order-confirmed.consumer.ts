import { causationOf, type Handler } from '@choreo/messaging';
import { decideReservation } from '../application/reservation.use-cases';

export const orderConfirmedConsumer =
  (): Handler<'OrderConfirmed'> =>
  ({ tx, event, envelope }) =>
    decideReservation(tx, { type: 'OrderConfirmed', orderId: event.payload.orderId }, { causation: causationOf(envelope) });
