import { causationOf, type Handler } from '@choreo/messaging';
import { decidePayment } from '../application/payment.use-cases';

export const orderPlacedConsumer =
  (): Handler<'OrderPlaced'> =>
  ({ tx, event, envelope }) => {
    const { orderId, customerId, totalCents } = event.payload;
    return decidePayment(tx, { type: 'OrderPlaced', orderId, customerId, totalCents }, { causation: causationOf(envelope) });
  };
