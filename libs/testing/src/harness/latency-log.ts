import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sagaTiming, type SagaTiming } from './saga-waiters';
import type { OrderView } from './service-apis';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

/**
 * Saga durations (placed → terminal, from order-service's timeline) printed as they finish and
 * appended as JSON lines to `file`, so a run's figures can be summarised across test files.
 */
export class LatencyLog {
  private readonly entries: (SagaTiming & { label: string })[] = [];

  constructor(
    private readonly file?: string,
    private readonly print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  ) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  record(label: string, order: OrderView): SagaTiming {
    const timing = sagaTiming(order);
    this.entries.push({ ...timing, label });
    const steps = Object.entries(timing.steps)
      .map(([s, ms]) => `${s} +${ms}`)
      .join(', ');
    this.print(`saga ${order.orderId.slice(0, 8)} [${label}] ${timing.outcome} in ${timing.totalMs} ms (${steps})`);
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), label, ...timing })}\n`);
    return timing;
  }

  /** Records many at once and prints one summary line instead of one line per saga. */
  recordAll(label: string, orders: readonly OrderView[]): LatencySummary {
    const quiet = new LatencyLog(this.file, () => undefined);
    for (const o of orders) this.entries.push({ ...quiet.record(label, o), label });
    const s = summarize(orders.map((o) => sagaTiming(o).totalMs));
    this.print(`sagas [${label}] n=${s.count} p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms`);
    return s;
  }

  summary(filter: (label: string) => boolean = () => true): LatencySummary {
    return summarize(this.entries.filter((e) => filter(e.label)).map((e) => e.totalMs));
  }
}
