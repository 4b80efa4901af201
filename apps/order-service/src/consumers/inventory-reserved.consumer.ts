import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';

export const inventoryReservedConsumer =
  (): Handler<'InventoryReserved'> =>
  ({ tx, event, envelope }) =>
    decideOrder(tx, { type: 'InventoryReserved', orderId: event.payload.orderId }, { causation: causationOf(envelope) });
