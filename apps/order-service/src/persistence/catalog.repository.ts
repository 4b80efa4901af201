import type { PoolClient } from 'pg';
import { textArrayLiteral } from '@choreo/platform';

export interface CatalogEntry {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

export async function upsertCatalogEntry(tx: PoolClient, entry: CatalogEntry): Promise<void> {
  await tx.query({
    name: 'order.upsert-catalog-entry',
    text: `INSERT INTO catalog (sku, name, price_cents) VALUES ($1, $2, $3)
     ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = now()`,
    values: [entry.sku, entry.name, entry.priceCents],
  });
}

/** The prices of `skus` as a statement with literal values, so it can travel with the transaction's BEGIN; read with `pricesFrom`. */
export const findPricesSql = (skus: readonly string[]): string =>
  `SELECT sku, price_cents FROM catalog WHERE sku = ANY(${textArrayLiteral(skus)})`;

export const pricesFrom = (result: { readonly rows: readonly { sku: string; price_cents: string }[] }): Map<string, number> =>
  new Map(result.rows.map((r) => [r.sku, Number(r.price_cents)]));
