import { decidingHandlers, type HandlerMap } from '@choreo/messaging';
import { orderCancelledConsumer } from './order-cancelled.consumer';
import { orderConfirmedConsumer } from './order-confirmed.consumer';
import { orderPlacedConsumer } from './order-placed.consumer';

export const inventoryHandlers = (): HandlerMap =>
  decidingHandlers({
    OrderPlaced: orderPlacedConsumer(),
    OrderConfirmed: orderConfirmedConsumer(),
    OrderCancelled: orderCancelledConsumer(),
  });
