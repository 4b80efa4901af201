/**
 * `npm run bench [-- --quick] [--links proxied] [--rates 10,50,100] [--step-seconds 30] [--cpu-prof <dir>]`
 *   [--no-flash-sale] [--no-defaults] [--no-reference] [--no-tracing-cost] [--tracing off|<ratio>] [--out <dir>]
 *   [--warm-up-seconds 30 (0: none)]
 *
 * The whole system on the real stack under open-loop load, after a warm-up that is not counted: a ladder of offered rates, an
 * unloaded run, a flash sale on one hot sku, PostgreSQL's own ceiling for a saga-step
 * transaction (pgbench), a run with Debezium's default connector settings, and a run with tracing
 * set the other way (off, or infra/.env's ratio) to show what it costs; `--tracing` sets it for the
 * main run (default: infra/.env's ratio). Writes JSON,
 * markdown and SVG charts to reports/bench/ (reports/bench/quick/ for --quick).
 */
import { join } from 'node:path';
import { loadStackConfig } from '@choreo/stack';
import { runBench, type BenchOptions } from './bench-run';
import { sustainableRate } from './render';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const numbers = (text: string | undefined) =>
  text
    ?.split(',')
    .map(Number)
    .filter((n) => n > 0);

function tracingArg(text: string): 'off' | number {
  const ratio = Number(text);
  if (text === 'off') return 'off';
  if (text.trim() === '' || !(ratio >= 0 && ratio <= 1)) throw new Error(`--tracing takes off or a ratio from 0 to 1, not ${text}`);
  return ratio;
}

const quick = flag('quick');
const root = loadStackConfig().root;
const base: BenchOptions = quick
  ? {
      profile: 'quick',
      rates: [25, 100, 200],
      stepSeconds: 10,
      stopAfterFailures: 1,
      unloadedSagas: 20,
      warmUp: { ratePerSec: 25, seconds: 10 },
      reference: { clients: 8, seconds: 5 },
      flashSale: { units: 200, orders: 600, ratePerSec: 150, customers: 100 },
      debeziumDefaults: { rates: [25], stepSeconds: 10, unloadedSagas: 10 },
      tracingCost: { rates: [25], stepSeconds: 10, unloadedSagas: 10 },
      links: 'direct',
      outDir: join(root, 'reports', 'bench', 'quick'),
      log: () => undefined,
    }
  : {
      profile: 'full',
      rates: [10, 25, 50, 75, 100, 150, 200, 300, 400, 600],
      stepSeconds: 30,
      stopAfterFailures: 2,
      // 200, so that p99 (nearest rank: the 198th) is not simply the slowest, as it is of 50
      unloadedSagas: 200,
      warmUp: { ratePerSec: 50, seconds: 30 },
      reference: { clients: 8, seconds: 15 },
      flashSale: { units: 1_000, orders: 3_000, ratePerSec: 150, customers: 200 },
      debeziumDefaults: { rates: [25, 100], stepSeconds: 30, unloadedSagas: 30 },
      tracingCost: { rates: [25, 100], stepSeconds: 30, unloadedSagas: 100 },
      links: 'direct',
      outDir: join(root, 'reports', 'bench'),
      log: () => undefined,
    };

const opts: BenchOptions = {
  ...base,
  rates: numbers(value('rates')) ?? base.rates,
  stepSeconds: Number(value('step-seconds') ?? base.stepSeconds),
  ...(value('warm-up-seconds') !== undefined
    ? {
        warmUp:
          Number(value('warm-up-seconds')) > 0
            ? { ratePerSec: base.warmUp!.ratePerSec, seconds: Number(value('warm-up-seconds')) }
            : undefined,
      }
    : {}),
  links: value('links') === 'proxied' ? 'proxied' : 'direct',
  ...(flag('no-flash-sale') ? { flashSale: undefined } : {}),
  ...(flag('no-defaults') ? { debeziumDefaults: undefined } : {}),
  ...(flag('no-reference') ? { reference: undefined } : {}),
  ...(flag('no-tracing-cost') ? { tracingCost: undefined } : {}),
  ...(value('cpu-prof') ? { cpuProfileDir: value('cpu-prof') } : {}),
  ...(value('tracing') ? { tracing: tracingArg(value('tracing')!) } : {}),
  outDir: value('out') ?? base.outDir,
  log: (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
};

const report = await runBench(opts);
process.stdout.write(`\nhighest sustainable rate: ${sustainableRate(report.maxSustainablePerSec)}\n`);
process.stdout.write(`report: ${join(opts.outDir, 'latest.md')} (+ latest.json, latency.svg, throughput.svg)\n`);
process.exit(0);
