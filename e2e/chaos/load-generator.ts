import { randomUUID } from 'node:crypto';
import type { ClientView, E2eHarness, ItemLine, OrderView } from '@choreo/testing';
import type { LoadWorld } from './load-world';

export type OrderKind = 'success' | 'out-of-stock' | 'insufficient-funds' | 'customer-cancel';

export interface LoadPlan {
  readonly orders: number;
  /** Orders are started evenly over this span (the faults happen inside it). */
  readonly spreadMs: number;
  readonly concurrency: number;
  readonly seed: number;
  /** How long one request keeps being retried (same Idempotency-Key) before the client gives up on it. */
  readonly requestDeadlineMs: number;
  /** Asked once the planned orders are out: true keeps placing more at the same pace (a fault still under way). */
  readonly keepGoing?: () => boolean;
}

export interface LoadResult {
  readonly client: ClientView;
  readonly byKind: Readonly<Record<OrderKind, number>>;
  /** Requests repeated after a network error or a 5xx (placing and cancelling). */
  readonly retries: number;
  /** Answers other than 2xx that are final (4xx), by problem code. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly cancels: { readonly requested: number; readonly cancelled: number; readonly tooLate: number };
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same mix of orders. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlannedOrder {
  readonly kind: OrderKind;
  readonly customerId: string;
  readonly items: ItemLine[];
  readonly cancelAfterMs: number;
}

/** 50% success, 15% out of stock, 15% insufficient funds, 20% customer cancel. */
export function planOrders(world: LoadWorld, plan: Pick<LoadPlan, 'orders' | 'seed'>): PlannedOrder[] {
  const rnd = prng(plan.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const plentyLines = (n: number) => {
    const skus = new Set<string>();
    while (skus.size < n) skus.add(pick(world.plenty).sku);
    return [...skus].map((sku) => ({ sku, quantity: 1 + Math.floor(rnd() * 3) }));
  };
  return Array.from({ length: plan.orders }, (): PlannedOrder => {
    const r = rnd();
    if (r < 0.5) return { kind: 'success', customerId: pick(world.rich), items: plentyLines(1 + Math.floor(rnd() * 2)), cancelAfterMs: -1 };
    if (r < 0.65) {
      const items = [{ sku: world.scarce.sku, quantity: 3 }, ...(rnd() < 0.5 ? plentyLines(1) : [])];
      return { kind: 'out-of-stock', customerId: pick(world.rich), items, cancelAfterMs: -1 };
    }
    if (r < 0.8) return { kind: 'insufficient-funds', customerId: pick(world.poor), items: plentyLines(1), cancelAfterMs: -1 };
    return { kind: 'customer-cancel', customerId: pick(world.rich), items: plentyLines(1), cancelAfterMs: Math.floor(rnd() * 400) };
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * Places the planned orders against POST /orders, evenly spread and at most `concurrency` at a
 * time. Every request is retried with its own Idempotency-Key on a network error or a 5xx until
 * it gets a final answer or its deadline passes, so the client learns every order it created.
 * When `keepGoing` says so, it places more than planned, so every fault meets load.
 */
export async function runLoad(h: E2eHarness, world: LoadWorld, plan: LoadPlan): Promise<LoadResult> {
  // Enough of the same seeded sequence for a timeline that outlasts the planned orders.
  const planned = planOrders(world, { orders: plan.orders * 4, seed: plan.seed });
  const startedAt = Date.now();
  const accepted: ClientView['orders'][number][] = [];
  const rejected: Record<string, number> = {};
  const byKind = { success: 0, 'out-of-stock': 0, 'insufficient-funds': 0, 'customer-cancel': 0 } as Record<OrderKind, number>;
  const cancels = { requested: 0, cancelled: 0, tooLate: 0 };
  let retries = 0;
  let unresolved = 0;

  /** Repeats `call` until it answers something other than a 5xx; undefined when the deadline passed first. */
  const retrying = async <T>(call: () => Promise<{ status: number } & T>): Promise<({ status: number } & T) | undefined> => {
    const deadline = Date.now() + plan.requestDeadlineMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await call();
        if (res.status < 500) return res;
      } catch {
        // connection refused / reset / timed out: the outcome is unknown, the key makes a retry safe
      }
      if (Date.now() > deadline) return undefined;
      retries++;
      await pause(backoff(attempt));
    }
  };

  const one = async (o: PlannedOrder) => {
    byKind[o.kind]++;
    const key = randomUUID();
    const body = { customerId: o.customerId, items: o.items };
    const res = await retrying(() => h.orders.place(body, key, { timeoutMs: 8_000 }));
    if (!res) return void unresolved++;
    if (res.status !== 200 && res.status !== 201) {
      const code = (res.json as { code?: string } | undefined)?.code ?? `HTTP ${res.status}`;
      return void (rejected[code] = (rejected[code] ?? 0) + 1);
    }
    const order = res.json as OrderView;
    accepted.push({ orderId: order.orderId, customerId: o.customerId, items: o.items });
    if (o.cancelAfterMs < 0) return;
    await pause(o.cancelAfterMs);
    cancels.requested++;
    const cancel = await retrying(() => h.orders.cancel(order.orderId));
    if (cancel?.status === 200) cancels.cancelled++;
    else if (cancel?.status === 409) cancels.tooLate++;
  };

  const gap = plan.spreadMs / Math.max(1, plan.orders);
  const inFlight = new Set<Promise<void>>();
  for (const [i, o] of planned.entries()) {
    if (i >= plan.orders && !(plan.keepGoing?.() ?? false)) break;
    const due = startedAt + i * gap;
    if (due > Date.now()) await pause(due - Date.now());
    while (inFlight.size >= plan.concurrency) await Promise.race(inFlight);
    const p = one(o).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return {
    client: { orders: accepted, unresolved, funding: world.funding, stocked: world.stocked },
    byKind,
    retries,
    rejected,
    cancels,
    startedAt,
    finishedAt: Date.now(),
  };
}
