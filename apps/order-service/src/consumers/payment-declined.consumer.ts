import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';
import type { ConsumerDeps } from './consumer-deps';

export const paymentDeclinedConsumer =
  ({ sagaTimeoutMs }: ConsumerDeps): Handler<'PaymentDeclined'> =>
  ({ tx, event, envelope }) =>
    decideOrder(
      tx,
      { type: 'PaymentDeclined', orderId: event.payload.orderId, reason: event.payload.reason },
      { causation: causationOf(envelope), sagaTimeoutMs },
    );
