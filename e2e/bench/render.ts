import type { BenchReport, StepResult } from './bench-report';
import type { Hop } from './saga-readings';

const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${f0(x)} ms`);

function stepRow(s: StepResult): string {
  const cpu = Object.values(s.cpuMsPerSaga).reduce((a, b) => a + b, 0);
  return `| ${s.offeredPerSec} | ${f1(s.completedPerSec)} | ${ms(s.saga.p50)} | ${ms(s.saga.p95)} | ${ms(s.saga.p99)} | ${ms(s.saga.max)} | ${ms(s.post.p50)} / ${ms(s.post.p99)} | ${f0(s.maxLag)} | ${f1(cpu)} | ${s.terminal}/${s.orders} | ${s.sustainable ? 'yes' : `no: ${s.verdict}`} |`;
}

const tracingOf = (r: BenchReport) =>
  r.tracing === undefined ? 'not in this build' : r.tracing === 'off' ? 'off' : `${r.tracing * 100} % of sagas, exported to Jaeger`;

/** The ladder's verdict in words: a rate, or that no rate offered was sustainable. */
export const sustainableRate = (perSec: number | null): string => (perSec === null ? 'none of the rates offered' : `${perSec} sagas/s`);

export function renderMarkdown(r: BenchReport): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`# Choreo bench — ${r.startedAt}`, '');
  lines.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}. Whole stack on it. Profile: ${r.profile}; services' links: ${r.links}; tracing: ${tracingOf(r)}.` +
      (r.warmUp
        ? ` Measured after a warm-up of ${r.warmUp.seconds} s at ${r.warmUp.ratePerSec} orders/s (${r.warmUp.orders} orders, not counted).`
        : ''),
    '',
  );
  lines.push(
    `**Highest sustainable rate: ${sustainableRate(r.maxSustainablePerSec)}** (every saga terminal and confirmed, saga p99 ≤ 1 s, consumer lag not growing).`,
    '',
  );
  if (r.reference) {
    const best = r.ladder.reduce((b, s) => (s.sustainable && s.completedPerSec > b ? s.completedPerSec : b), 0);
    lines.push(
      `PostgreSQL alone (pgbench, ${r.reference.clients} clients, a transaction shaped like one saga step): ${f0(r.reference.stepsPerSec)} steps/s; ` +
        `a saga costs ${f1(r.transactionsPerSaga)} transactions, so the database bounds it at ${f0(r.dbBoundSagasPerSec)} sagas/s. ` +
        `Achieved: ${f1(best)} sagas/s = ${f1((100 * best) / Math.max(1, r.dbBoundSagasPerSec))} % of that.`,
      '',
    );
  }
  if (r.unloaded) {
    lines.push(
      `Unloaded (one saga at a time, ${r.unloaded.saga.n} sagas): p50 ${ms(r.unloaded.saga.p50)}, p99 ${ms(r.unloaded.saga.p99)}, max ${ms(r.unloaded.saga.max)}; ` +
        `PLACED→RESERVED p50 ${ms(r.unloaded.steps.reserved.p50)}, RESERVED→PAID ${ms(r.unloaded.steps.paid.p50)}, PAID→CONFIRMED ${ms(r.unloaded.steps.confirmed.p50)}.`,
      '',
    );
    if (r.unloaded.hops.length > 0) lines.push("Where an unloaded saga's time goes (p50 / p99, ms):", '', ...hopTable(r.unloaded.hops), '');
  }
  lines.push('## Open-loop ladder', '');
  lines.push(
    '| offered /s | completed /s | saga p50 | p95 | p99 | max | POST p50 / p99 | max lag | CPU ms/saga | terminal | sustainable |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of r.ladder) lines.push(stepRow(s));
  lines.push('', '![saga latency against offered rate](latency.svg)', '', '![completed against offered rate](throughput.svg)', '');
  const top = [...r.ladder].reverse().find((s) => s.sustainable) ?? r.ladder[0];
  if (top) {
    lines.push(`## CPU per saga by process at ${top.offeredPerSec}/s (ms)`, '');
    lines.push(
      `| ${Object.keys(top.cpuMsPerSaga).join(' | ')} |`,
      `|${Object.keys(top.cpuMsPerSaga)
        .map(() => '---')
        .join('|')}|`,
    );
    lines.push(`| ${Object.values(top.cpuMsPerSaga).map(f1).join(' | ')} |`, '');
    lines.push(`## Where a saga's time goes at ${top.offeredPerSec}/s (p50 / p99, ms)`, '', ...hopTable(top.hops), '');
  }
  if (r.flashSale) {
    const fs = r.flashSale;
    lines.push('## Flash sale', '');
    lines.push(
      `${fs.orders} orders for one sku with ${fs.units} units, offered at ${fs.offeredPerSec}/s by ${fs.customers} customers: ` +
        `${fs.sold} sold, ${fs.confirmed} confirmed, ${fs.cancelled.OUT_OF_STOCK ?? 0} OUT_OF_STOCK, ${fs.cancelled.TIMEOUT ?? 0} TIMEOUT, ${fs.open} open; ` +
        `${f1(fs.completedPerSec)} sagas/s; saga p50 ${ms(fs.saga.p50)}, p99 ${ms(fs.saga.p99)}, max ${ms(fs.saga.max)}; POST p99 ${ms(fs.post.p99)}.`,
      '',
    );
    lines.push(
      `Checks: ${Object.entries(fs.checks)
        .map(([k, v]) => `${v ? '✓' : '✗'} ${k}`)
        .join('; ')}.`,
      '',
    );
  }
  if (r.debeziumDefaults) {
    const d = r.debeziumDefaults;
    lines.push("## Debezium's defaults side by side", '');
    lines.push(`Connector settings as the Debezium documentation has them (${d.settings}), everything else equal:`, '');
    lines.push('| run | offered /s | completed /s | saga p50 | p99 | CPU ms/saga |', '|---|---|---|---|---|---|');
    if (d.unloaded && r.unloaded) {
      lines.push(`| Choreo | one at a time | – | ${ms(r.unloaded.saga.p50)} | ${ms(r.unloaded.saga.p99)} | – |`);
      lines.push(`| defaults | one at a time | – | ${ms(d.unloaded.saga.p50)} | ${ms(d.unloaded.saga.p99)} | – |`);
    }
    for (const s of d.steps) {
      const ours = r.ladder.find((x) => x.offeredPerSec === s.offeredPerSec);
      const cpu = (x: StepResult) => f1(Object.values(x.cpuMsPerSaga).reduce((a, b) => a + b, 0));
      if (ours)
        lines.push(
          `| Choreo | ${ours.offeredPerSec} | ${f1(ours.completedPerSec)} | ${ms(ours.saga.p50)} | ${ms(ours.saga.p99)} | ${cpu(ours)} |`,
        );
      lines.push(`| defaults | ${s.offeredPerSec} | ${f1(s.completedPerSec)} | ${ms(s.saga.p50)} | ${ms(s.saga.p99)} | ${cpu(s)} |`);
    }
    lines.push('');
  }
  if (r.tracingCost) lines.push(...tracingCostLines(r, r.tracingCost));
  return lines.join('\n');
}

const SERVICE_PROCESSES = ['order-service', 'inventory-service', 'payment-service'];

function tracingCostLines(r: BenchReport, t: NonNullable<BenchReport['tracingCost']>): string[] {
  const setting = (x: BenchReport['tracing']) => (x === undefined ? '?' : x === 'off' ? 'off' : `ratio ${x}`);
  const cpu = (x: StepResult, keys: readonly string[]) => f1(keys.reduce((sum, k) => sum + (x.cpuMsPerSaga[k] ?? 0), 0));
  const row = (run: string, s: StepResult) =>
    `| ${run} | ${s.offeredPerSec} | ${f1(s.completedPerSec)} | ${ms(s.saga.p50)} | ${ms(s.saga.p99)} | ${cpu(s, SERVICE_PROCESSES)} | ${cpu(s, Object.keys(s.cpuMsPerSaga))} |`;
  const lines = ['## Tracing side by side', ''];
  lines.push(`The services restarted with tracing ${setting(t.tracing)} after the rest of the run, the same steps again (ADR 0017):`, '');
  lines.push(
    '| tracing | offered /s | completed /s | saga p50 | p99 | services CPU ms/saga | all CPU ms/saga |',
    '|---|---|---|---|---|---|---|',
  );
  if (t.unloaded && r.unloaded) {
    lines.push(`| ${setting(r.tracing)} | one at a time | – | ${ms(r.unloaded.saga.p50)} | ${ms(r.unloaded.saga.p99)} | – | – |`);
    lines.push(`| ${setting(t.tracing)} | one at a time | – | ${ms(t.unloaded.saga.p50)} | ${ms(t.unloaded.saga.p99)} | – | – |`);
  }
  for (const s of t.steps) {
    const main = r.ladder.find((x) => x.offeredPerSec === s.offeredPerSec);
    if (main) lines.push(row(setting(r.tracing), main));
    lines.push(row(setting(t.tracing), s));
  }
  return [...lines, ''];
}

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/** A small line chart: x = offered rate (linear), y linear or log10, with a legend. */
export function lineChart(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  logY?: boolean;
  yLine?: { value: number; label: string };
}): string {
  const W = 640,
    H = 360,
    L = 64,
    R = 16,
    T = 36,
    B = 48;
  const all = opts.series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const ys = all.map(([, y]) => y).filter((y) => y > 0);
  const logY = opts.logY ?? false;
  const yMaxRaw = Math.max(1, ...ys, opts.yLine?.value ?? 0);
  const yMinRaw = logY ? Math.max(1, Math.min(...ys, opts.yLine?.value ?? Infinity)) : 0;
  const lo = logY ? Math.floor(Math.log10(yMinRaw)) : 0;
  const step = niceStep(yMaxRaw * 1.1);
  const hi = logY ? Math.ceil(Math.log10(yMaxRaw)) : Math.ceil((yMaxRaw * 1.1) / step) * step;
  const sx = (x: number) => L + (x / xMax) * (W - L - R);
  const sy = (y: number) => {
    const v = logY ? Math.log10(Math.max(y, 10 ** lo)) : y;
    return H - B - ((v - lo) / Math.max(1e-9, hi - lo)) * (H - T - B);
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${opts.title}</text>`);
  const yTicks = logY
    ? Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i))
    : Array.from({ length: Math.round(hi / step) + 1 }, (_, i) => i * step);
  for (const y of yTicks) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 6}" y="${sy(y) + 4}" text-anchor="end">${y >= 1000 ? `${y / 1000}k` : Math.round(y)}</text>`);
  }
  const xs = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  for (const x of xs) out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${H - B}" y2="${H - B + 4}" stroke="#333"/>`);
  for (const x of fittingLabels(xs, sx)) out.push(`<text x="${sx(x)}" y="${H - B + 16}" text-anchor="middle">${x}</text>`);
  out.push(
    `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/>`,
  );
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${opts.xLabel}</text>`);
  out.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${opts.yLabel}</text>`);
  if (opts.yLine) {
    out.push(
      `<line x1="${L}" x2="${W - R}" y1="${sy(opts.yLine.value)}" y2="${sy(opts.yLine.value)}" stroke="#c00" stroke-dasharray="4 3"/>`,
    );
    out.push(`<text x="${W - R - 4}" y="${sy(opts.yLine.value) - 4}" text-anchor="end" fill="#c00">${opts.yLine.label}</text>`);
  }
  opts.series.forEach((s, i) => {
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    out.push(
      `<rect x="${L + 10}" y="${T + 4 + i * 16}" width="12" height="3" fill="${s.color}"/><text x="${L + 26}" y="${T + 9 + i * 16}">${s.name}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Average width of a digit at the charts' 11 px sans-serif, in px. */
const DIGIT_PX = 6.5;

/**
 * The x values whose labels fit on the axis, lowest first: a label is left out where it would
 * touch the one before it (10 and 25 sit 14 px apart on a ladder up to 600). The last value is
 * always labelled, at the expense of the one before it.
 */
export function fittingLabels(xs: readonly number[], sx: (x: number) => number, gapPx = 6): number[] {
  const half = (x: number) => (String(x).length * DIGIT_PX) / 2;
  const fits = (a: number, b: number) => sx(b) - sx(a) >= half(a) + half(b) + gapPx;
  const kept: number[] = [];
  for (const x of xs) if (kept.length === 0 || fits(kept[kept.length - 1]!, x)) kept.push(x);
  const last = xs[xs.length - 1];
  if (last !== undefined && kept[kept.length - 1] !== last) {
    while (kept.length > 0 && !fits(kept[kept.length - 1]!, last)) kept.pop();
    kept.push(last);
  }
  return kept;
}

/** A round tick step (1, 2 or 5 × 10ⁿ) giving at most six intervals up to `max`. */
function niceStep(max: number): number {
  const raw = max / 6;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
}

export function renderCharts(r: BenchReport): { latency: string; throughput: string } {
  const pts = (pick: (s: StepResult) => number) => r.ladder.map((s) => [s.offeredPerSec, pick(s)] as const);
  return {
    latency: lineChart({
      title: 'Saga latency against offered rate',
      xLabel: 'offered orders/s (open loop)',
      yLabel: 'saga latency (ms, log scale)',
      logY: true,
      yLine: { value: 1000, label: 'p99 target 1 s' },
      series: [
        { name: 'p50', color: '#1f77b4', points: pts((s) => s.saga.p50) },
        { name: 'p95', color: '#ff7f0e', points: pts((s) => s.saga.p95) },
        { name: 'p99', color: '#d62728', points: pts((s) => s.saga.p99) },
      ],
    }),
    throughput: lineChart({
      title: 'Completed sagas against offered rate',
      xLabel: 'offered orders/s (open loop)',
      yLabel: 'completed sagas/s',
      series: [
        { name: 'offered', color: '#999', points: pts((s) => s.offeredPerSec), dashed: true },
        { name: 'completed', color: '#2ca02c', points: pts((s) => s.completedPerSec) },
      ],
    }),
  };
}

function hopTable(hops: readonly Hop[]): string[] {
  return [
    '| event | from → to | CDC (outbox → Kafka) | delivery (Kafka → fetch) | handling (fetch → commit) | total |',
    '|---|---|---|---|---|---|',
    ...hops.map(
      (h) =>
        `| ${h.eventType} | ${h.from} → ${h.to} | ${f0(h.cdc.p50)} / ${f0(h.cdc.p99)} | ${f0(h.delivery.p50)} / ${f0(h.delivery.p99)} | ${f0(h.handling.p50)} / ${f0(h.handling.p99)} | ${f0(h.total.p50)} / ${f0(h.total.p99)} |`,
    ),
  ];
}
