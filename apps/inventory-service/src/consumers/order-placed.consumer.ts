import { causationOf, type Handler } from '@choreo/messaging';
import { decideReservation } from '../application/reservation.use-cases';

export const orderPlacedConsumer =
  (): Handler<'OrderPlaced'> =>
  ({ tx, event, envelope }) =>
    decideReservation(
      tx,
      { type: 'OrderPlaced', orderId: event.payload.orderId, items: event.payload.items.map(({ sku, quantity }) => ({ sku, quantity })) },
      { causation: causationOf(envelope) },
    );
