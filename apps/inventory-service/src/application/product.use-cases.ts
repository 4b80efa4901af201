import { execute } from '@choreo/domain-kernel';
import { productDecider, type ProductInput } from '@choreo/inventory-domain';
import { appendToOutbox } from '@choreo/outbox';
import type { PoolClient } from 'pg';
import { findProduct, loadProductForUpdate, saveProduct } from '../persistence/product.repository';

/** Admin upsert: a catalog change is published (ProductUpserted) so order-service can price with it. */
export async function upsertProduct(tx: PoolClient, input: ProductInput) {
  const outcome = execute(productDecider, await loadProductForUpdate(tx, input.sku), input, { now: new Date() });
  if (outcome.kind === 'apply') {
    await saveProduct(tx, outcome.state);
    await appendToOutbox(
      tx,
      outcome.published.map(({ sku, name, priceCents }) => ({
        type: 'ProductUpserted' as const,
        aggregateId: sku,
        sagaId: sku,
        payload: { sku, name, priceCents },
      })),
    );
  }
  return (await findProduct(tx, input.sku))!;
}
