import { decidingHandlers, type HandlerMap } from '@choreo/messaging';
import { inventoryRejectedConsumer } from './inventory-rejected.consumer';
import { inventoryReservedConsumer } from './inventory-reserved.consumer';
import { paymentAuthorizedConsumer } from './payment-authorized.consumer';
import { paymentDeclinedConsumer } from './payment-declined.consumer';
import { productUpsertedConsumer } from './product-upserted.consumer';

export const orderHandlers = (): HandlerMap =>
  decidingHandlers({
    InventoryReserved: inventoryReservedConsumer(),
    InventoryRejected: inventoryRejectedConsumer(),
    PaymentAuthorized: paymentAuthorizedConsumer(),
    PaymentDeclined: paymentDeclinedConsumer(),
    ProductUpserted: productUpsertedConsumer(),
  });
