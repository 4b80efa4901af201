import { causationOf, type Handler } from '@choreo/messaging';
import { decidePayment } from '../application/payment.use-cases';

export const orderConfirmedConsumer =
  (): Handler<'OrderConfirmed'> =>
  ({ tx, event, envelope }) =>
    decidePayment(tx, { type: 'OrderConfirmed', orderId: event.payload.orderId }, { causation: causationOf(envelope) });
