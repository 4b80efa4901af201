import type { E2eHarness } from '@choreo/testing';

/** Products and accounts one run owns, so its invariants are checked on its rows only. */
export interface LoadWorld {
  readonly runId: string;
  /** Deep stock: orders on these only fail for money or a cancel. */
  readonly plenty: readonly { readonly sku: string; readonly priceCents: number }[];
  /** A few units only: most orders on it are rejected OUT_OF_STOCK. */
  readonly scarce: { readonly sku: string; readonly priceCents: number };
  readonly rich: readonly string[];
  /** Balance below the cheapest order: every order is declined. */
  readonly poor: readonly string[];
  readonly funding: Readonly<Record<string, number>>;
  readonly stocked: Readonly<Record<string, number>>;
}

export const SCARCE_UNITS = 12;
const RICH_BALANCE = 50_000_000;
const POOR_BALANCE = 50;

/**
 * Seeds through the admin APIs (PUT /products, PUT /accounts) and waits until order-service's
 * catalog replica prices every sku: the seed's own events travel outbox → Debezium → Kafka.
 */
export async function seedWorld(h: E2eHarness, runId: string): Promise<LoadWorld> {
  const plenty = [120, 250, 399, 1_000].map((priceCents, i) => ({ sku: `${runId}-plenty-${i}`, priceCents }));
  const scarce = { sku: `${runId}-scarce`, priceCents: 250 };
  const rich = Array.from({ length: 10 }, (_, i) => `${runId}-rich-${i}`);
  const poor = Array.from({ length: 4 }, (_, i) => `${runId}-poor-${i}`);
  const stocked: Record<string, number> = {};
  const funding: Record<string, number> = {};
  await Promise.all([
    ...plenty.map(async (p) => {
      await h.fixtures.product({ sku: p.sku, priceCents: p.priceCents, available: 10_000 }, 60_000);
      stocked[p.sku] = 10_000;
    }),
    (async () => {
      await h.fixtures.product({ sku: scarce.sku, priceCents: scarce.priceCents, available: SCARCE_UNITS }, 60_000);
      stocked[scarce.sku] = SCARCE_UNITS;
    })(),
    ...rich.map(async (c) => {
      await h.fixtures.customer(RICH_BALANCE, c);
      funding[c] = RICH_BALANCE;
    }),
    ...poor.map(async (c) => {
      await h.fixtures.customer(POOR_BALANCE, c);
      funding[c] = POOR_BALANCE;
    }),
  ]);
  return { runId, plenty, scarce, rich, poor, funding, stocked };
}
