import { decidingHandlers, type HandlerMap } from '@choreo/messaging';
import { inventoryReservedConsumer } from './inventory-reserved.consumer';
import { orderCancelledConsumer } from './order-cancelled.consumer';
import { orderConfirmedConsumer } from './order-confirmed.consumer';
import { orderPlacedConsumer } from './order-placed.consumer';

/** InventoryRejected/Released/Committed need no handler: the runtime records them as ignored and keeps sequencing. */
export const paymentHandlers = (): HandlerMap =>
  decidingHandlers({
    OrderPlaced: orderPlacedConsumer(),
    InventoryReserved: inventoryReservedConsumer(),
    OrderConfirmed: orderConfirmedConsumer(),
    OrderCancelled: orderCancelledConsumer(),
  });
