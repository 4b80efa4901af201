import { TOPICS } from '@choreo/contracts';
import type { HandlerMap } from '@choreo/messaging';
import type { ConsumerDeps } from './consumer-deps';
import { inventoryRejectedConsumer } from './inventory-rejected.consumer';
import { inventoryReservedConsumer } from './inventory-reserved.consumer';
import { paymentAuthorizedConsumer } from './payment-authorized.consumer';
import { paymentDeclinedConsumer } from './payment-declined.consumer';
import { productUpsertedConsumer } from './product-upserted.consumer';

export const ORDER_SERVICE_TOPICS = [TOPICS.reservation, TOPICS.payment, TOPICS.product] as const;

export const orderHandlers = (deps: ConsumerDeps): HandlerMap => ({
  InventoryReserved: inventoryReservedConsumer(deps),
  InventoryRejected: inventoryRejectedConsumer(deps),
  PaymentAuthorized: paymentAuthorizedConsumer(deps),
  PaymentDeclined: paymentDeclinedConsumer(deps),
  ProductUpserted: productUpsertedConsumer(),
});
