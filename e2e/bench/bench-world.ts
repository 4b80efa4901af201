import { randomBytes } from 'node:crypto';
import type { Fixtures, InventoryApi, PaymentApi } from '@choreo/testing';

/** Products and funded customers of one bench run, named so runs on one stack never share rows. */
export interface BenchWorld {
  readonly run: string;
  readonly skus: readonly string[];
  readonly customers: readonly string[];
}

export const PRICE_CENTS = 100;

/**
 * Seeds `skuCount` products with effectively unlimited stock and `customerCount` accounts with
 * effectively unlimited money, so every saga of the uniform ladder should confirm. Waits until
 * order-service's catalog replica has every product (otherwise POST /orders answers 422).
 */
export async function seedWorld(
  apis: { fixtures: Fixtures; inventory: InventoryApi; payments: PaymentApi },
  opts: { skuCount: number; customerCount: number; stock?: number },
): Promise<BenchWorld> {
  const run = `bench-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const skus = Array.from({ length: opts.skuCount }, (_, i) => `${run}-sku-${i}`);
  const customers = Array.from({ length: opts.customerCount }, (_, i) => `${run}-cust-${i}`);
  await Promise.all(
    skus.map((sku) =>
      apis.fixtures.product({ sku, name: `Bench ${sku}`, priceCents: PRICE_CENTS, available: opts.stock ?? 1_000_000_000 }, 60_000),
    ),
  );
  await Promise.all(customers.map((c) => apis.fixtures.customer(1_000_000_000_000, c)));
  return { run, skus, customers };
}

/** One line of one unit, spread over skus and customers by index. */
export function orderFor(world: BenchWorld, index: number): { customerId: string; items: { sku: string; quantity: number }[] } {
  return {
    customerId: world.customers[index % world.customers.length]!,
    items: [{ sku: world.skus[(index * 7) % world.skus.length]!, quantity: 1 }],
  };
}
