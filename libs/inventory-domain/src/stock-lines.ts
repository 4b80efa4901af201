import { assertNever } from '@choreo/domain-kernel';

export interface StockLine {
  readonly sku: string;
  readonly quantity: number;
}

/** Signed changes to one product row's counters. */
export interface StockDelta {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
}

/**
 * Lines merged per sku and sorted by sku: the order in which the service locks product rows.
 * Every transaction taking locks in one global order cannot deadlock against another. The
 * order is JS code-unit order: lock one row per statement in this order, or in SQL use
 * `ORDER BY sku COLLATE "C"`, never the database's default collation.
 */
export function lockOrder(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const { sku, quantity } of lines) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

export type StockMovement = 'reserve' | 'release' | 'commit';

/** What a movement does to each row; conservation holds: the three deltas of a row sum to 0. */
export function stockDeltas(movement: StockMovement, lines: readonly StockLine[]): StockDelta[] {
  return lockOrder(lines).map(({ sku, quantity: q }) => {
    switch (movement) {
      case 'reserve':
        return { sku, available: -q, reserved: q, sold: 0 };
      case 'release':
        return { sku, available: q, reserved: -q, sold: 0 };
      case 'commit':
        return { sku, available: 0, reserved: -q, sold: q };
      default:
        return assertNever(movement);
    }
  });
}
