import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';
import type { ConsumerDeps } from './consumer-deps';

export const inventoryReservedConsumer =
  ({ sagaTimeoutMs }: ConsumerDeps): Handler<'InventoryReserved'> =>
  ({ tx, event, envelope }) =>
    decideOrder(tx, { type: 'InventoryReserved', orderId: event.payload.orderId }, { causation: causationOf(envelope), sagaTimeoutMs });
