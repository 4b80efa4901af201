import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';

export const paymentAuthorizedConsumer =
  (): Handler<'PaymentAuthorized'> =>
  ({ tx, event, envelope }) =>
    decideOrder(
      tx,
      { type: 'PaymentAuthorized', orderId: event.payload.orderId, amountCents: event.payload.amountCents },
      { causation: causationOf(envelope) },
    );
