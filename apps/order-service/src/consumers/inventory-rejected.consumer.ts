import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';
import type { ConsumerDeps } from './consumer-deps';

export const inventoryRejectedConsumer =
  ({ sagaTimeoutMs }: ConsumerDeps): Handler<'InventoryRejected'> =>
  ({ tx, event, envelope }) =>
    decideOrder(
      tx,
      { type: 'InventoryRejected', orderId: event.payload.orderId, shortages: event.payload.shortages },
      { causation: causationOf(envelope), sagaTimeoutMs },
    );
