import { createHash, randomUUID } from 'node:crypto';
import { withFramedTransaction, conflict, unprocessable, type Pool, type PoolClient } from '@choreo/platform';
import type { OrderState } from '@choreo/order-domain';
import { findPricesSql, pricesFrom } from '../persistence/catalog.repository';
import { claimedBy, claimKeySql, findKey } from '../persistence/idempotency.repository';
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
  const orderId = randomUUID();
  const skus = [...new Set(request.items.map((i) => i.sku))];
  // The claim and the prices go with BEGIN, the order's row and its outbox row with COMMIT: two round trips for a new order.
  const open = `${claimKeySql(idempotencyKey, requestHash, orderId)}; ${findPricesSql(skus)}`;
  return withFramedTransaction(pool, open, async (tx, [claim, prices]) => ({
    result: claimedBy(claim!)
      ? await createOrder(tx, orderId, request, pricesFrom(prices!), sagaTimeoutMs)
      : await replay(tx, idempotencyKey, requestHash),
    close: '',
  }));
}

async function replay(tx: PoolClient, idempotencyKey: string, requestHash: string): Promise<{ order: Placed; replayed: boolean }> {
  const previous = (await findKey(tx, idempotencyKey))!;
  if (previous.requestHash !== requestHash) {
    throw conflict('ORDER.IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body');
  }
  return { order: (await findOrder(tx, previous.orderId))!, replayed: true };
}

async function createOrder(
  tx: PoolClient,
  orderId: string,
  request: PlaceOrderRequest,
  prices: ReadonlyMap<string, number>,
  sagaTimeoutMs: number,
): Promise<{ order: Placed; replayed: boolean }> {
  const unknown = request.items.map((i) => i.sku).filter((sku) => !prices.has(sku));
  if (unknown.length > 0) {
    throw unprocessable('ORDER.UNKNOWN_SKU', `unknown sku: ${[...new Set(unknown)].join(', ')}`, { unknownSkus: [...new Set(unknown)] });
  }
  const lines = request.items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitPriceCents: prices.get(i.sku)! }));
  const outcome = await decideOrder(tx, { type: 'PlaceOrder', orderId, customerId: request.customerId, lines, sagaTimeoutMs });
  if (outcome.kind !== 'apply' || outcome.state.status === 'NONE') throw new Error(`PlaceOrder was not applied: ${outcome.kind}`);
  return { order: outcome.state, replayed: false };
}
