import type { SystemSnapshot } from './snapshot';
import { Findings, sum, type Violation } from './violation';

/**
 * Invariant 2 (docs/architecture.md §5), per sku the run stocked: available + reserved + sold = stocked, reserved = 0 at rest,
 * stocked is what the client put on the shelf and sold is what CONFIRMED orders bought.
 */
export function checkStock(s: SystemSnapshot): Violation[] {
  const f = new Findings('stock');
  const products = new Map(s.products.map((p) => [p.sku, p]));
  for (const [sku, stocked] of Object.entries(s.client.stocked)) {
    const p = products.get(sku);
    if (!f.expect(p !== undefined, `sku ${sku}`, () => 'product missing from the inventory database')) continue;
    const subject = `sku ${sku}`;
    f.expect(
      p!.available + p!.reserved + p!.sold === p!.stocked,
      subject,
      () => `available ${p!.available} + reserved ${p!.reserved} + sold ${p!.sold} ≠ stocked ${p!.stocked}`,
    );
    f.expect(p!.reserved === 0, subject, () => `${p!.reserved} unit(s) still reserved at rest`);
    f.expect(p!.available >= 0, subject, () => `available is negative (${p!.available}): oversold`);
    f.expect(p!.stocked === stocked, subject, () => `stocked ${p!.stocked}, but the client stocked ${stocked}`);
    const bought = sum(
      s.orders.filter((o) => o.status === 'CONFIRMED').flatMap((o) => o.items.filter((i) => i.sku === sku).map((i) => i.quantity)),
    );
    f.expect(p!.sold === bought, subject, () => `sold ${p!.sold}, but CONFIRMED orders bought ${bought}`);
  }
  return f.list;
}
