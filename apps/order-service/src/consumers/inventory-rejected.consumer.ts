import { causationOf, type Handler } from '@choreo/messaging';
import { decideOrder } from '../application/order.use-cases';

export const inventoryRejectedConsumer =
  (): Handler<'InventoryRejected'> =>
  ({ tx, event, envelope }) =>
    decideOrder(
      tx,
      { type: 'InventoryRejected', orderId: event.payload.orderId, shortages: event.payload.shortages },
      { causation: causationOf(envelope) },
    );
