import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planOrders } from './load-generator';
import type { LoadWorld } from './load-world';
import { MetricsAccumulator } from './metrics-accumulator';
import { SCENARIOS, selectScenarios } from './scenarios';

/** The suite's own parts that need no stack: what the profiles cover, the order mix, the metric sums. */
const LINKS = ['order-kafka', 'inventory-kafka', 'payment-kafka', 'connect-kafka', 'order-pg', 'inventory-pg', 'payment-pg', 'connect-pg'];
const KINDS = ['latency', 'timeout', 'reset_peer', 'bandwidth', 'slicer', 'down'];
const faultsOf = (profile: string) => selectScenarios(profile, undefined).flatMap((s) => s.steps.map((step) => step.fault));

describe('chaos profiles', () => {
  it('when the full profile runs, then every toxic kind hits every link and every process and component fault is there', () => {
    const names = new Set(faultsOf('full').map((f) => f.name));
    const missing = LINKS.flatMap((link) => KINDS.map((kind) => `${link}:${kind}`)).filter((n) => !names.has(n));
    expect(missing).toEqual([]);
    for (const n of [
      'kill:order',
      'kill:inventory',
      'kill:payment',
      'rebalance:order',
      'rebalance:inventory',
      'rebalance:payment',
      'kafka:restart',
      'kafka:crash',
      'connect:restart',
      'connect:crash',
      'postgres:restart',
      'walsender:terminate',
    ]) {
      expect(names, n).toContain(n);
    }
  });

  it('when the short profile runs, then it still covers every fault family and every toxic kind, in at most three load runs', () => {
    const short = selectScenarios('short', undefined);
    const faults = faultsOf('short');
    expect(short.length).toBeLessThanOrEqual(3);
    expect(new Set(faults.map((f) => f.family))).toEqual(new Set(['toxic', 'process', 'rebalance', 'infra']));
    expect(new Set(faults.filter((f) => f.family === 'toxic').map((f) => f.name.split(':')[1]))).toEqual(new Set(KINDS));
    expect(faults.map((f) => f.name)).toEqual(
      expect.arrayContaining(['kafka:restart', 'connect:restart', 'postgres:restart', 'walsender:terminate']),
    );
  });

  it('when scenarios are named, then exactly those run, and an unknown name is refused', () => {
    expect(selectScenarios('short', 'kafka-crash,kill-order').map((s) => s.name)).toEqual(['kill-order', 'kafka-crash']);
    expect(() => selectScenarios('full', 'no-such-thing')).toThrow(/unknown chaos scenario/);
    expect(() => selectScenarios('medium', undefined)).toThrow(/expected short or full/);
  });

  it('when any scenario is defined, then it loads at least 200 orders and every fault is healed inside the load', () => {
    for (const s of SCENARIOS) {
      expect(s.orders, s.name).toBeGreaterThanOrEqual(200);
      for (const step of s.steps) expect(step.atMs + step.holdMs, `${s.name} ${step.fault.name}`).toBeLessThan(s.spreadMs);
    }
  });
});

describe('planOrders', () => {
  const world: LoadWorld = {
    runId: 'r',
    plenty: [
      { sku: 'p0', priceCents: 100 },
      { sku: 'p1', priceCents: 200 },
    ],
    scarce: { sku: 's', priceCents: 250 },
    rich: ['rich-0', 'rich-1'],
    poor: ['poor-0'],
    funding: {},
    stocked: {},
  };

  it('when 200 orders are planned, then all four paths are there in roughly the intended mix, and the same seed gives the same plan', () => {
    const plan = planOrders(world, { orders: 200, seed: 42 });
    const count = (kind: string) => plan.filter((o) => o.kind === kind).length;
    expect(count('success')).toBeGreaterThan(70);
    for (const kind of ['out-of-stock', 'insufficient-funds', 'customer-cancel']) expect(count(kind), kind).toBeGreaterThan(15);
    expect(plan.filter((o) => o.kind === 'insufficient-funds').every((o) => o.customerId === 'poor-0')).toBe(true);
    expect(plan.filter((o) => o.kind === 'out-of-stock').every((o) => o.items.some((i) => i.sku === 's'))).toBe(true);
    expect(planOrders(world, { orders: 200, seed: 42 })).toEqual(plan);
    expect(planOrders(world, { orders: 200, seed: 43 })).not.toEqual(plan);
  });
});

describe('MetricsAccumulator', () => {
  let server: Server;
  let value = 0;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.end(`# TYPE choreo_messages_duplicates_total counter\nchoreo_messages_duplicates_total{consumer="x",kind="inbox"} ${value}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when a process counts, restarts from zero and counts again, then the increase of both lives is summed and the baseline is not', async () => {
    let pid = 1;
    const m = new MetricsAccumulator(() => [{ id: `svc#${pid}`, url }]);
    value = 10; // counted before the run: the baseline
    await m.start(60_000);
    value = 15;
    await m.scrapeNow();
    pid = 2; // a new process: starts from 0
    value = 4;
    await m.scrapeNow();
    value = 1; // the same process id, lower value: a reset nobody announced
    await m.scrapeNow();
    await m.stop();
    expect(m.total('choreo_messages_duplicates_total', { kind: 'inbox' })).toBe(5 + 4 + 1);
    expect(m.total('choreo_messages_duplicates_total', { kind: 'sequence' })).toBe(0);
  });
});
