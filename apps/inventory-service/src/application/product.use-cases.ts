import { DomainRuleViolation } from '@choreo/domain-kernel';
import {
  productDecider,
  type ProductEvent,
  type ProductInput,
  type ProductPublishedEvent,
  type ProductState,
} from '@choreo/inventory-domain';
import { decideAndStore, type AggregateStore } from '@choreo/service-host';
import type { PoolClient } from 'pg';
import { loadProductForUpdate, saveProduct } from '../persistence/product.repository';
import { toOutgoing } from './product-events.mapper';

const products: AggregateStore<ProductInput, ProductInput, ProductState, ProductEvent, ProductPublishedEvent> = {
  decider: productDecider,
  load: async (tx, input) => ({ state: await loadProductForUpdate(tx, input.sku), input }),
  save: (tx, { state }) => saveProduct(tx, state),
  toOutgoing,
};

/**
 * Admin upsert: a catalog change is published (ProductUpserted) so order-service can price with it.
 * Answers with the product as decided, or as loaded when unchanged: its row stays locked until
 * commit, so that is what the table holds.
 */
export async function upsertProduct(tx: PoolClient, input: ProductInput) {
  const { state } = await decideAndStore(tx, products, input);
  if (state.status !== 'ACTIVE') throw DomainRuleViolation.invariant('PRODUCT.INVARIANT', `product ${input.sku} was not stored`);
  return state;
}
