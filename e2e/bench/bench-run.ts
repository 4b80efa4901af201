import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import {
  assertNoOtherInstances,
  components,
  loadStackConfig,
  registerAllConnectors,
  SERVICES,
  ServiceLauncher,
  stackUp,
  type ConnectorTweak,
  type ServiceName,
  type StackConfig,
} from '@choreo/stack';
import { Fixtures, InventoryApi, OrderApi, PaymentApi, SagaWaiters, ServiceDbs, waitFor } from '@choreo/testing';
import type { BenchReport, FlashSaleResult, Machine, StepResult, UnloadedResult } from './bench-report';
import { orderFor, seedWorld, type BenchWorld } from './bench-world';
import { sampleLag } from './lag-sampler';
import { runOpenLoop, type OpenLoopRun } from './open-loop';
import { OrderPoster } from './order-poster';
import { runPgbenchReference } from './pgbench-reference';
import { cpuDelta, cpuSnapshot } from './proc-cpu';
import { renderCharts, renderMarkdown } from './render';
import {
  cancellationsByReason,
  isTerminal,
  readHops,
  readSagas,
  sagaLatencies,
  sagaSteps,
  transactionsPerSaga,
  type SagaReading,
} from './saga-readings';
import { lagGrows, percentiles } from './stats';

export interface BenchOptions {
  readonly profile: BenchReport['profile'];
  /** Offered rates of the open-loop ladder, ascending. */
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  /**
   * Stop climbing after this many saturated steps in a row: fewer than 90 % of the offered
   * sagas completed per second, or consumer lag growing. A step that only misses the p99 limit
   * is not sustainable but still tells how much the system carries, so the ladder goes on.
   */
  readonly stopAfterFailures: number;
  readonly unloadedSagas: number;
  /**
   * Load offered and not counted before anything is measured, and again after the services restart
   * for the tracing comparison: JIT compilation in the services and the JVMs, pooled connections
   * and PostgreSQL's per-connection plan caches would otherwise be paid by the first measurement.
   */
  readonly warmUp?: { readonly ratePerSec: number; readonly seconds: number };
  readonly reference?: { readonly clients: number; readonly seconds: number };
  readonly flashSale?: { readonly units: number; readonly orders: number; readonly ratePerSec: number; readonly customers: number };
  readonly debeziumDefaults?: { readonly rates: readonly number[]; readonly stepSeconds: number; readonly unloadedSagas: number };
  /** After the rest, the services restarted with tracing set the other way and these steps run again. */
  readonly tracingCost?: { readonly rates: readonly number[]; readonly stepSeconds: number; readonly unloadedSagas: number };
  readonly links: 'direct' | 'proxied';
  /** `off`, or the share of new sagas traced; default: infra/.env's OTEL_TRACES_SAMPLER_ARG, exported to the stack's Jaeger. */
  readonly tracing?: 'off' | number;
  /** Write a V8 CPU profile of each service here (`node --cpu-prof`), for finding where the time goes. */
  readonly cpuProfileDir?: string;
  readonly outDir: string;
  readonly log: (line: string) => void;
}

/**
 * Connector settings as a user would copy them from Debezium's documentation: our latency and
 * batching overrides removed, so the connector and Connect's producer run on their defaults.
 */
export const DEBEZIUM_DEFAULTS: ConnectorTweak = (config) => {
  const out: Record<string, string> = { ...config };
  for (const key of Object.keys(out))
    if (/^(poll\.interval\.ms|max\.batch\.size|max\.queue\.size|producer\.override\.linger\.ms)$/.test(key)) delete out[key];
  // Our Connect worker sets producer.linger.ms=0 for every connector; a stock one has Kafka's default.
  out['producer.override.linger.ms'] = String(KAFKA_DEFAULT_LINGER_MS);
  return out;
};
/** The producer's linger.ms default since Kafka 4.0 (KIP-1030). */
const KAFKA_DEFAULT_LINGER_MS = 5;
/**
 * With direct links the connectors too read PostgreSQL and write Kafka without the Toxiproxy
 * hop that exists only so that tests can inject faults: the bench measures the system as deployed.
 */
const directLinks =
  (cfg: StackConfig): ConnectorTweak =>
  (config) => ({
    ...config,
    'database.hostname': cfg.pg.host,
    'database.port': String(cfg.pg.port),
    'producer.override.bootstrap.servers': cfg.kafka.bootstrap,
  });
const both =
  (a: ConnectorTweak, b: ConnectorTweak): ConnectorTweak =>
  (config) =>
    b(a(config));

const DEFAULTS_DESCRIPTION = `poll.interval.ms=500, max.batch.size=2048, max.queue.size=8192, producer linger.ms=${KAFKA_DEFAULT_LINGER_MS} (Kafka 4 default)`;

/** The services' tracing settings for a run: off, or on at a ratio, exporting to the stack's Jaeger. */
const tracingEnv = (cfg: StackConfig, tracing: 'off' | number): Record<string, string> =>
  tracing === 'off'
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: '' }
    : { OTEL_EXPORTER_OTLP_ENDPOINT: cfg.jaeger.otlpUrl, OTEL_TRACES_SAMPLER_ARG: String(tracing) };

const BENCH_CLIENT = 'bench client';
const P99_LIMIT_MS = 1_000;
/** Records consumed for one confirmed saga (the hop table's rows): a second of them is the floor of a growing lag. */
const DELIVERIES_PER_SAGA = 10;

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const cfg = loadStackConfig();
  opts.log('bringing the stack up (a no-op if it runs) …');
  await stackUp(cfg);
  await assertNoOtherInstances(cfg).catch((error: Error) => {
    throw new Error(`${error.message}\nStop them first (npm start in another terminal?): the bench starts and measures its own services.`);
  });
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const tracing = opts.tracing ?? Number(cfg.vars['OTEL_TRACES_SAMPLER_ARG']);
  const env = tracingEnv(cfg, tracing);
  const launcher = new ServiceLauncher({
    cfg,
    defaults: Object.fromEntries(SERVICES.map((s) => [s, { links: opts.links, nodeArgs, env }])),
  });
  const dbs = new ServiceDbs(cfg);
  const orders = new OrderApi(() => launcher.url('order'));
  const poster = new OrderPoster(() => launcher.url('order'));
  const inventory = new InventoryApi(() => launcher.url('inventory'), cfg.adminToken);
  const payments = new PaymentApi(() => launcher.url('payment'), cfg.adminToken);
  const fixtures = new Fixtures(orders, inventory, payments, dbs);
  const links: ConnectorTweak = opts.links === 'direct' ? directLinks(cfg) : (config) => config;
  try {
    await registerAllConnectors(cfg, links);
    opts.log(`starting the three services (links: ${opts.links}; tracing: ${tracing}) …`);
    await launcher.startAll();
    const world = await seedWorld({ fixtures, inventory, payments }, { skuCount: 50, customerCount: 200 });
    const sagas = new SagaWaiters(orders, inventory, payments, dbs);
    const ctx: StepContext = { cfg, poster, sagas, launcher, dbs, world, log: opts.log };
    const connector = await connectorSettings(cfg);

    const warmedUp = opts.warmUp ? await warmUp(ctx, opts.warmUp) : undefined;
    const unloaded = opts.unloadedSagas > 0 ? await runUnloaded(ctx, opts.unloadedSagas) : undefined;
    if (unloaded) opts.log(`unloaded: saga p50 ${unloaded.saga.p50} ms, p99 ${unloaded.saga.p99} ms`);

    const ladder: StepResult[] = [];
    let failures = 0;
    for (const rate of opts.rates) {
      const step = await runStep(ctx, rate, opts.stepSeconds);
      ladder.push(step);
      opts.log(
        `${rate}/s: completed ${step.completedPerSec}/s, saga p50 ${step.saga.p50} p99 ${step.saga.p99} ms, POST p99 ${step.post.p99} ms, ` +
          `max lag ${step.maxLag} — ${step.sustainable ? 'sustainable' : `not sustainable (${step.verdict})`}`,
      );
      failures = saturated(step) ? failures + 1 : 0;
      if (failures >= opts.stopAfterFailures) break;
    }
    const sustained = ladder.filter((s) => s.sustainable);
    const maxSustainablePerSec = sustained.length > 0 ? Math.max(...sustained.map((s) => s.offeredPerSec)) : null;

    const flashSale = opts.flashSale ? await runFlashSale(ctx, opts.flashSale, fixtures) : undefined;

    let debeziumDefaults: BenchReport['debeziumDefaults'];
    if (opts.debeziumDefaults) {
      opts.log(`re-registering the connectors with Debezium's defaults (${DEFAULTS_DESCRIPTION}) …`);
      await registerAllConnectors(cfg, both(DEBEZIUM_DEFAULTS, links)); // links last: the defaults run takes the same path
      try {
        const d = opts.debeziumDefaults;
        const un = d.unloadedSagas > 0 ? await runUnloaded(ctx, d.unloadedSagas) : undefined;
        const steps: StepResult[] = [];
        for (const rate of d.rates) {
          const step = await runStep(ctx, rate, d.stepSeconds);
          opts.log(`defaults ${rate}/s: completed ${step.completedPerSec}/s, saga p50 ${step.saga.p50} p99 ${step.saga.p99} ms`);
          steps.push(step);
        }
        debeziumDefaults = { settings: DEFAULTS_DESCRIPTION, ...(un ? { unloaded: un } : {}), steps };
      } finally {
        await registerAllConnectors(cfg, links);
      }
    }

    let tracingCost: BenchReport['tracingCost'];
    if (opts.tracingCost) {
      const other = tracing === 'off' ? Number(cfg.vars['OTEL_TRACES_SAMPLER_ARG']) : 'off';
      opts.log(`restarting the services with tracing ${other} …`);
      for (const service of SERVICES) await launcher.restart(service, { env: tracingEnv(cfg, other) });
      if (opts.warmUp) await warmUp(ctx, opts.warmUp);
      const t = opts.tracingCost;
      const un = t.unloadedSagas > 0 ? await runUnloaded(ctx, t.unloadedSagas) : undefined;
      const steps: StepResult[] = [];
      for (const rate of t.rates) {
        const step = await runStep(ctx, rate, t.stepSeconds);
        opts.log(`tracing ${other}, ${rate}/s: completed ${step.completedPerSec}/s, saga p99 ${step.saga.p99} ms`);
        steps.push(step);
      }
      tracingCost = { tracing: other, ...(un ? { unloaded: un } : {}), steps };
    }

    const measuredIds = ladder.length > 0 ? (await stepOrderIds(dbs, world)).slice(-2_000) : [];
    const txPerSaga = await transactionsPerSaga(dbs, measuredIds);
    const reference = opts.reference ? await runPgbenchReference(cfg, opts.reference) : undefined;
    if (reference) opts.log(`pgbench: ${reference.stepsPerSec} saga-step transactions/s (${reference.clients} clients)`);
    const report: BenchReport = {
      startedAt,
      finishedAt: new Date().toISOString(),
      profile: opts.profile,
      machine: machine(),
      links: opts.links,
      tracing,
      connector,
      ...(reference ? { reference } : {}),
      transactionsPerSaga: Math.round(txPerSaga * 10) / 10,
      dbBoundSagasPerSec: reference && txPerSaga > 0 ? Math.round(reference.stepsPerSec / txPerSaga) : 0,
      ...(warmedUp ? { warmUp: warmedUp } : {}),
      ...(unloaded ? { unloaded } : {}),
      ladder,
      maxSustainablePerSec,
      ...(flashSale ? { flashSale } : {}),
      ...(debeziumDefaults ? { debeziumDefaults } : {}),
      ...(tracingCost ? { tracingCost } : {}),
    };
    writeReport(opts.outDir, report);
    return report;
  } finally {
    poster.close();
    await launcher.stopAll();
    await dbs.close();
    await registerAllConnectors(cfg); // back to the stack's own configuration
  }
}

interface StepContext {
  readonly cfg: StackConfig;
  readonly poster: OrderPoster;
  readonly sagas: SagaWaiters;
  readonly launcher: ServiceLauncher;
  readonly dbs: ServiceDbs;
  readonly world: BenchWorld;
  readonly log: (line: string) => void;
}

/** Numbers the bench's Idempotency-Keys: one per POST, so a retried POST keeps its key. */
let keySequence = 0;
/** The world index of the next order: consecutive orders go to consecutive customers and spread skus. */
let orderIndex = 0;

const placeOrder = (ctx: StepContext, body: unknown): Promise<{ status: number; orderId?: string }> =>
  ctx.poster.place(body, `${ctx.world.run}-${++keySequence}`, 30_000);

/** Waits until every order is CONFIRMED or CANCELLED, or the deadline sweeper has had its chance. */
async function drain(ctx: StepContext, orderIds: readonly string[]): Promise<void> {
  await ctx.sagas.waitUntilTerminal(orderIds, ctx.cfg.sagaTimeoutMs + 20_000).catch(() => undefined);
}

function cpuRoots(ctx: StepContext): Record<string, number | undefined> {
  const c = components(ctx.cfg);
  return {
    postgres: c.postgres.pid(),
    kafka: c.kafka.pid(),
    connect: c.connect.pid(),
    toxiproxy: c.toxiproxy.pid(),
    ...Object.fromEntries(SERVICES.map((s: ServiceName) => [`${s}-service`, ctx.launcher.get(s)?.pid])),
  };
}

async function runStep(ctx: StepContext, rate: number, seconds: number): Promise<StepResult> {
  ctx.log(`offering ${rate} orders/s for ${seconds} s …`);
  const roots = cpuRoots(ctx);
  const cpuBefore = cpuSnapshot(roots, BENCH_CLIENT);
  const lag = sampleLag();
  const run = await offerOrders(ctx, rate, seconds);
  const lagSamples = await lag.stop();
  const accepted = acceptedIds(run);
  await drain(ctx, accepted);
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(roots, BENCH_CLIENT));
  const sagas = await readSagas(ctx.dbs, accepted);
  const terminal = sagas.filter(isTerminal);
  const confirmed = sagas.filter((s) => s.status === 'CONFIRMED').length;
  const saga = percentiles(sagaLatencies(sagas));
  const post = percentiles(run.samples.map((s) => s.doneMs - s.dueMs));
  const failedPosts = run.samples.filter((s) => s.error || (s.result && s.result.status >= 300));
  const postErrors = failedPosts.length;
  const maxLag = Math.max(0, ...lagSamples);
  const lagGrowing = lagGrows(lagSamples, rate * DELIVERIES_PER_SAGA);
  const reasons: string[] = [];
  if (postErrors > 0)
    reasons.push(`${postErrors} POST errors (first: ${failedPosts[0]!.error ?? `HTTP ${failedPosts[0]!.result!.status}`})`);
  if (terminal.length < accepted.length) reasons.push(`${accepted.length - terminal.length} not terminal`);
  if (confirmed < terminal.length) {
    const byReason = Object.entries(cancellationsByReason(sagas));
    const detail = byReason.length === 1 ? byReason[0]![0] : `(${byReason.map(([reason, n]) => `${n} ${reason}`).join(', ')})`;
    reasons.push(`${terminal.length - confirmed} cancelled ${detail}`);
  }
  if (saga.p99 > P99_LIMIT_MS) reasons.push(`p99 ${Math.round(saga.p99)} ms > 1 s`);
  if (lagGrowing) reasons.push('consumer lag growing');
  const completedPerSec = throughput(run.startedAt, terminal);
  return {
    offeredPerSec: rate,
    seconds,
    orders: run.samples.length,
    accepted: accepted.length,
    terminal: terminal.length,
    confirmed,
    completedPerSec,
    saga,
    steps: sagaSteps(sagas),
    post,
    postErrors,
    maxLag,
    lagGrowing,
    cpuMsPerSaga: Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [k, Math.round((10_000 * v) / Math.max(1, terminal.length)) / 10]),
    ),
    hops: await readHops(ctx.dbs, accepted),
    generatorLagMs: run.maxScheduleLagMs,
    sustainable: reasons.length === 0,
    verdict: reasons.length === 0 ? 'ok' : reasons.join(', '),
  };
}

/** The system no longer keeps up: the backlog grows whatever the latency. */
const saturated = (step: StepResult) => step.completedPerSec < 0.9 * step.offeredPerSec || step.lagGrowing || step.terminal < step.accepted;

/** Terminal sagas per second, from the first order's placement to the last saga's end. */
function throughput(startedAt: number, terminal: readonly SagaReading[]): number {
  if (terminal.length === 0) return 0;
  const end = Math.max(...terminal.map((s) => s.endedAt!));
  const start = Math.min(startedAt, ...terminal.map((s) => s.placedAt));
  return Math.round((10 * terminal.length) / Math.max(0.001, (end - start) / 1000)) / 10;
}

/** The world's orders offered open-loop at `rate` for `seconds`. */
const offerOrders = (ctx: StepContext, rate: number, seconds: number) =>
  runOpenLoop({ ratePerSec: rate, durationMs: seconds * 1000, send: () => placeOrder(ctx, orderFor(ctx.world, orderIndex++)) });

const acceptedIds = (run: OpenLoopRun<{ orderId?: string }>): string[] =>
  run.samples.flatMap((s) => (s.result?.orderId ? [s.result.orderId] : []));

/** Offers `plan.ratePerSec` for `plan.seconds` and waits for those sagas to end; nothing of it is reported but how much it was. */
async function warmUp(ctx: StepContext, plan: NonNullable<BenchOptions['warmUp']>): Promise<NonNullable<BenchReport['warmUp']>> {
  ctx.log(`warming up: ${plan.ratePerSec} orders/s for ${plan.seconds} s, not counted …`);
  const run = await offerOrders(ctx, plan.ratePerSec, plan.seconds);
  await drain(ctx, acceptedIds(run));
  return { ...plan, orders: run.samples.length };
}

/** One saga at a time: each is placed once the previous one ended. */
async function runUnloaded(ctx: StepContext, count: number): Promise<UnloadedResult> {
  ctx.log(`${count} sagas one at a time …`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { orderId } = await placeOrder(ctx, orderFor(ctx.world, orderIndex++));
    if (!orderId) throw new Error('POST /orders failed during the unloaded run');
    ids.push(orderId);
    await ctx.sagas.waitUntilTerminal([orderId], ctx.cfg.sagaTimeoutMs + 10_000);
  }
  const sagas = await readSagas(ctx.dbs, ids);
  return { saga: percentiles(sagaLatencies(sagas)), steps: sagaSteps(sagas), hops: await readHops(ctx.dbs, ids) };
}

/** Many more orders than units for one hot sku, at a high rate: the hot-row path. */
async function runFlashSale(ctx: StepContext, plan: NonNullable<BenchOptions['flashSale']>, fixtures: Fixtures): Promise<FlashSaleResult> {
  ctx.log(`flash sale: ${plan.orders} orders for ${plan.units} units at ${plan.ratePerSec}/s …`);
  const sku = `${ctx.world.run}-hot`;
  await fixtures.product({ sku, name: 'Flash sale item', priceCents: 100, available: plan.units }, 60_000);
  const customers = ctx.world.customers.slice(0, plan.customers);
  const run = await runOpenLoop({
    ratePerSec: plan.ratePerSec,
    durationMs: (plan.orders / plan.ratePerSec) * 1000,
    send: (i) => placeOrder(ctx, { customerId: customers[i % customers.length], items: [{ sku, quantity: 1 }] }),
  });
  const accepted = acceptedIds(run);
  const refused = run.samples.find((s) => !s.result?.orderId);
  if (refused)
    ctx.log(
      `flash sale: ${run.samples.length - accepted.length} orders not accepted (first: ${refused.error ?? `HTTP ${refused.result?.status}`})`,
    );
  await drain(ctx, accepted);
  const sagas = await readSagas(ctx.dbs, accepted);
  const confirmed = sagas.filter((s) => s.status === 'CONFIRMED').length;
  const readStock = async () => {
    const [row] = await ctx.dbs.query<{ available: string; reserved: string; sold: string }>(
      'inventory',
      'SELECT available::text, reserved::text, sold::text FROM products WHERE sku = $1',
      [sku],
    );
    const captured = await ctx.dbs.count('payment', 'payments', "order_id = ANY($1) AND status = 'CAPTURED'", [accepted]);
    return { product: row, captured };
  };
  // An order is terminal at CONFIRMED; the stock commit and the capture it causes follow. The
  // checks read the end state once those have settled (or after a minute, and then say so).
  const settled = await waitFor(
    async () => {
      const read = await readStock();
      return Number(read.product?.reserved ?? -1) === 0 && read.captured === confirmed ? read : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'the flash sale’s commits and captures to settle' },
  ).catch(async (err: Error) => {
    // Usually the minute ran out; whatever it was, say so, and let the checks judge what is there.
    ctx.log(`flash sale: the end state did not settle (${err.message}); the checks read it as it is`);
    return readStock();
  });
  const { product, captured } = settled;
  const sold = Number(product?.sold ?? 0);
  const cancelled = cancellationsByReason(sagas);
  const open = sagas.filter((s) => !isTerminal(s)).length;
  const terminal = sagas.filter(isTerminal);
  const everyUnitSold = sold === Math.min(plan.units, accepted.length);
  return {
    units: plan.units,
    orders: run.samples.length,
    customers: customers.length,
    offeredPerSec: plan.ratePerSec,
    sold,
    confirmed,
    open,
    cancelled,
    completedPerSec: throughput(run.startedAt, terminal),
    saga: percentiles(sagaLatencies(sagas)),
    post: percentiles(run.samples.map((s) => s.doneMs - s.dueMs)),
    checks: {
      'every order accepted': accepted.length === run.samples.length,
      'every unit sold': everyUnitSold,
      'never one more': sold <= plan.units && Number(product?.available ?? -1) === plan.units - sold,
      'confirmed = sold = captured': confirmed === sold && captured === sold,
      'every other order OUT_OF_STOCK': (cancelled['OUT_OF_STOCK'] ?? 0) === accepted.length - confirmed,
      'nothing left reserved': Number(product?.reserved ?? -1) === 0,
      'every saga terminal': open === 0,
    },
  };
}

async function stepOrderIds(dbs: ServiceDbs, world: BenchWorld): Promise<string[]> {
  const rows = await dbs.query<{ order_id: string }>(
    'order',
    'SELECT order_id FROM orders WHERE customer_id LIKE $1 AND status = $2 ORDER BY created_at',
    [`${world.run}-%`, 'CONFIRMED'],
  );
  return rows.map((r) => r.order_id);
}

async function connectorSettings(cfg: StackConfig): Promise<Record<string, string>> {
  const res = await fetch(`${cfg.connect.url}/connectors/${cfg.services.order.connector.name}/config`);
  const config = (await res.json()) as Record<string, string>;
  return Object.fromEntries(Object.entries(config).filter(([k]) => /poll\.interval|batch|queue|linger|producer\.override/.test(k)));
}

function machine(): Machine {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${type()} ${release()}`,
  };
}

export function writeReport(dir: string, report: BenchReport): void {
  mkdirSync(join(dir, 'history'), { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'history', `${report.startedAt.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(dir, 'latest.md'), `${renderMarkdown(report)}\n`);
  const charts = renderCharts(report);
  writeFileSync(join(dir, 'latency.svg'), charts.latency);
  writeFileSync(join(dir, 'throughput.svg'), charts.throughput);
}
