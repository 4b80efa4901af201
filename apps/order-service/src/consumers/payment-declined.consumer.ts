import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';

export const paymentDeclinedConsumer =
  (): Handler<'PaymentDeclined'> =>
  ({ tx, event, envelope }) =>
    decideOrder(
      tx,
      { type: 'PaymentDeclined', orderId: event.payload.orderId, reason: event.payload.reason },
      { causation: causationOf(envelope) },
    );
