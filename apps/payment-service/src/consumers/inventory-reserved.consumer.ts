import { causationOf, type Handler } from '@choreo/messaging';
import { decideInventoryReserved } from '../application/payment.use-cases';

export const inventoryReservedConsumer =
  (): Handler<'InventoryReserved'> =>
  ({ tx, event, envelope }) =>
    decideInventoryReserved(tx, event.payload.orderId, { causation: causationOf(envelope) });
