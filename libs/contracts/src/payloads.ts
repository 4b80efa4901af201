import { z } from 'zod';

const id = z.string().min(1).max(100);
const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const quantity = z.number().int().positive().max(1_000_000);

export const orderItem = z.object({ sku: id, quantity, unitPriceCents: cents });
export const reservedItem = z.object({ sku: id, quantity });
export const shortage = z.object({ sku: id, requested: quantity, available: z.number().int().nonnegative() });

export const CANCELLATION_REASONS = ['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'CUSTOMER_REQUEST', 'TIMEOUT'] as const;

export const OrderPlaced = z.object({
  orderId: id,
  customerId: id,
  items: z.array(orderItem).min(1),
  totalCents: cents,
});
export const OrderConfirmed = z.object({ orderId: id });
export const OrderCancelled = z.object({ orderId: id, reason: z.enum(CANCELLATION_REASONS) });

export const InventoryReserved = z.object({ orderId: id, items: z.array(reservedItem).min(1) });
export const InventoryRejected = z.object({ orderId: id, shortages: z.array(shortage).min(1) });
export const InventoryReleased = z.object({ orderId: id });
export const InventoryCommitted = z.object({ orderId: id });

export const PaymentAuthorized = z.object({ orderId: id, customerId: id, amountCents: cents });
export const PaymentDeclined = z.object({ orderId: id, reason: z.string().min(1) });
export const PaymentRefunded = z.object({ orderId: id, amountCents: cents });
export const PaymentCaptured = z.object({ orderId: id });

export const ProductUpserted = z.object({ sku: id, name: z.string().min(1).max(200), priceCents: cents });
/** v1 carried a decimal price; kept so old events on the topic still decode (see upcasters). */
export const ProductUpsertedV1 = z.object({ sku: id, name: z.string().min(1).max(200), price: z.number().nonnegative() });
