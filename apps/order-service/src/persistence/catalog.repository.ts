import type { PoolClient } from 'pg';

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

export async function findPrices(tx: PoolClient, skus: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ sku: string; price_cents: string }>({
    name: 'order.find-prices',
    text: 'SELECT sku, price_cents FROM catalog WHERE sku = ANY($1)',
    values: [skus],
  });
  return new Map(rows.map((r) => [r.sku, Number(r.price_cents)]));
}
