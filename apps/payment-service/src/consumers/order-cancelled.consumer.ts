import { causationOf, type Handler } from '@choreo/messaging';
import { decidePayment } from '../application/payment.use-cases';

export const orderCancelledConsumer =
  (): Handler<'OrderCancelled'> =>
  ({ tx, event, envelope }) =>
    decidePayment(tx, { type: 'OrderCancelled', orderId: event.payload.orderId }, { causation: causationOf(envelope) });
