import { initialProductState, type ProductState, type StockDelta, type StockLevel } from '@choreo/inventory-domain';
import type { PoolClient } from 'pg';

type Active = Extract<ProductState, { status: 'ACTIVE' }>;
interface Row {
  sku: string;
  name: string;
  price_cents: string;
  available: number;
  reserved: number;
  sold: number;
}

const toState = (r: Row): Active => ({
  status: 'ACTIVE',
  sku: r.sku,
  name: r.name,
  priceCents: Number(r.price_cents),
  available: r.available,
  reserved: r.reserved,
  sold: r.sold,
});

export async function loadProductForUpdate(tx: PoolClient, sku: string): Promise<ProductState> {
  const { rows } = await tx.query<Row>({
    name: 'inventory.load-product-for-update',
    text: 'SELECT * FROM products WHERE sku = $1 FOR UPDATE',
    values: [sku],
  });
  return rows[0] ? toState(rows[0]) : initialProductState;
}

export async function findProduct(db: Pick<PoolClient, 'query'>, sku: string): Promise<Active | undefined> {
  const { rows } = await db.query<Row>({
    name: 'inventory.find-product',
    text: 'SELECT * FROM products WHERE sku = $1',
    values: [sku],
  });
  return rows[0] && toState(rows[0]);
}

/** Saves catalog fields and `available`; `stocked` moves by the same amount so conservation holds. */
export async function saveProduct(tx: PoolClient, state: ProductState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save a product that does not exist');
  await tx.query({
    name: 'inventory.save-product',
    text: `INSERT INTO products (sku, name, price_cents, available, stocked) VALUES ($1, $2, $3, $4::int, $4::int)
     ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
       stocked = products.stocked + (EXCLUDED.available - products.available), available = EXCLUDED.available, updated_at = now()`,
    values: [state.sku, state.name, state.priceCents, state.available],
  });
}

/**
 * Locks the rows of the given skus in one global order (byte order, matching the domain's
 * lockOrder), so two reservations can never wait on each other in a cycle.
 */
export async function lockStock(tx: PoolClient, skus: readonly string[]): Promise<StockLevel[]> {
  const { rows } = await tx.query<{ sku: string; available: number }>({
    name: 'inventory.lock-stock',
    text: 'SELECT sku, available FROM products WHERE sku = ANY($1) ORDER BY sku COLLATE "C" FOR UPDATE',
    values: [skus],
  });
  return rows;
}

/** Applies each delta only if no counter goes negative; a miss means the decision was made on stale stock: a bug. */
export async function applyStockDeltas(tx: PoolClient, deltas: readonly StockDelta[]): Promise<void> {
  for (const d of deltas) {
    const { rowCount } = await tx.query({
      name: 'inventory.apply-stock-deltas',
      text: `UPDATE products SET available = available + $2, reserved = reserved + $3, sold = sold + $4, updated_at = now()
       WHERE sku = $1 AND available + $2 >= 0 AND reserved + $3 >= 0 AND sold + $4 >= 0`,
      values: [d.sku, d.available, d.reserved, d.sold],
    });
    if (rowCount !== 1) throw new Error(`stock invariant: cannot apply ${JSON.stringify(d)}`);
  }
}
