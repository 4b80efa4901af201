import { createHash, randomUUID } from 'node:crypto';
import { withTransaction, conflict, unprocessable, type Pool } from '@choreo/platform';
import type { OrderState } from '@choreo/order-domain';
import { findPrices } from '../persistence/catalog.repository';
import { claimKey, findKey } from '../persistence/idempotency.repository';
import { findOrder } from '../persistence/order.repository';
import { decideOrder } from './order.use-cases';

export interface PlaceOrderRequest {
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

type Placed = Exclude<OrderState, { status: 'NONE' }>;

/**
 * POST /orders. The key is claimed in the same transaction that creates the order, so a retry
 * either finds the committed order or waits for the first attempt to finish: never two orders.
 */
export async function placeOrder(
  pool: Pool,
  idempotencyKey: string,
  request: PlaceOrderRequest,
  sagaTimeoutMs: number,
): Promise<{ order: Placed; replayed: boolean }> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return withTransaction(pool, async (tx) => {
    const orderId = randomUUID();
    if (!(await claimKey(tx, idempotencyKey, requestHash, orderId))) {
      const previous = (await findKey(tx, idempotencyKey))!;
      if (previous.requestHash !== requestHash) {
        throw conflict('ORDER.IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body');
      }
      return { order: (await findOrder(tx, previous.orderId))!, replayed: true };
    }
    const prices = await findPrices(tx, [...new Set(request.items.map((i) => i.sku))]);
    const unknown = request.items.map((i) => i.sku).filter((sku) => !prices.has(sku));
    if (unknown.length > 0) {
      throw unprocessable('ORDER.UNKNOWN_SKU', `unknown sku: ${[...new Set(unknown)].join(', ')}`, { unknownSkus: [...new Set(unknown)] });
    }
    const lines = request.items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitPriceCents: prices.get(i.sku)! }));
    const outcome = await decideOrder(tx, { type: 'PlaceOrder', orderId, customerId: request.customerId, lines, sagaTimeoutMs });
    if (outcome.kind !== 'apply' || outcome.state.status === 'NONE') throw new Error(`PlaceOrder was not applied: ${outcome.kind}`);
    return { order: outcome.state, replayed: false };
  });
}
