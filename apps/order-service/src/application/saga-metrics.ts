import { scrapedGauges, type Pool } from '@choreo/platform';
import { type MetricType, type Metric, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client';

/** Saga series, read from the orders table when /metrics is scraped. */
export const SAGA_METRICS = {
  byStatus: 'choreo_sagas',
  stuck: 'choreo_sagas_stuck',
  duration: 'choreo_saga_duration_seconds',
  compensations: 'choreo_saga_compensations_total',
} as const;

const STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED'] as const;
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

interface Snapshot {
  byStatus: Map<string, number>;
  pastDeadline: number;
  olderThan: number;
  /** outcome → cumulative bucket counts (BUCKETS order), sum and count of end − start. */
  durations: Map<string, { buckets: number[]; sum: number; count: number }>;
  compensations: Map<string, number>;
}

/**
 * What the design promises about sagas, measured where it is true, the orders table: sagas by
 * status, open ones past their deadline or older than `stuckAfterMs`, the duration of finished
 * ones by outcome (a histogram: every finished saga counts once, in its bucket), and the
 * cancellations that had a reservation to undo, by reason. Every replica reads the same table, so
 * each reports the same values: aggregate with `max`, not `sum`.
 */
export function registerSagaMetrics(opts: { pool: Pool; registry: Registry; stuckAfterMs: number }): void {
  const { pool, registry } = opts;
  const { shared, gauge } = scrapedGauges(registry, () => snapshot(pool, opts.stuckAfterMs));
  gauge(SAGA_METRICS.byStatus, 'Sagas by order status', ['status'], (g, s) => {
    for (const status of STATUSES) g.set({ status }, s.byStatus.get(status) ?? 0);
  });
  gauge(
    SAGA_METRICS.stuck,
    `Open sagas past their deadline (the deadline sweeper should have cancelled them), or open longer than ${opts.stuckAfterMs / 1000} s`,
    ['kind'],
    (g, s) => {
      g.set({ kind: 'past_deadline' }, s.pastDeadline);
      g.set({ kind: 'older_than_threshold' }, s.olderThan);
    },
  );
  gauge(
    SAGA_METRICS.compensations,
    'Cancelled sagas that had stock reserved to release (and a charge to refund), by cancellation reason',
    ['reason'],
    (g, s) => {
      for (const [reason, n] of s.compensations) g.set({ reason }, n);
    },
  );
  registry.registerMetric(new DurationHistogram(shared) as unknown as Metric);
}

/**
 * A histogram whose buckets are counted by the database, not observed in this process: prom-client
 * formats whatever `get()` returns, so the exposition is an ordinary histogram.
 */
class DurationHistogram {
  readonly name = SAGA_METRICS.duration;
  readonly help = 'From PLACED to CONFIRMED or CANCELLED, by outcome';
  /** prom-client declares `MetricType` as an enum but exports no value for it at run time. */
  readonly type = 'histogram' as unknown as MetricType;
  readonly aggregator = 'max';
  constructor(private readonly read: () => Promise<Snapshot>) {}

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const series = (suffix: string, labels: Record<string, string | number>, value: number) => ({
      metricName: `${this.name}_${suffix}`,
      labels,
      value,
    });
    const values: MetricValueWithName<string>[] = [];
    for (const [outcome, d] of (await this.read()).durations) {
      BUCKETS.forEach((le, i) => values.push(series('bucket', { outcome, le }, d.buckets[i]!)));
      values.push(
        series('bucket', { outcome, le: '+Inf' }, d.count),
        series('sum', { outcome }, d.sum),
        series('count', { outcome }, d.count),
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values } as MetricObjectWithValues<
      MetricValueWithName<string>
    >;
  }

  reset(): void {}
}

async function snapshot(pool: Pool, stuckAfterMs: number): Promise<Snapshot> {
  const [status, stuck, durations, compensations] = await Promise.all([
    pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM orders GROUP BY status'),
    pool.query<{ past_deadline: number; older: number }>(
      `SELECT count(*) FILTER (WHERE deadline_at < now())::int AS past_deadline,
              count(*) FILTER (WHERE created_at < now() - ($1::bigint * interval '1 millisecond'))::int AS older
         FROM orders WHERE status IN ('PENDING', 'AWAITING_PAYMENT')`,
      [stuckAfterMs],
    ),
    pool.query<{ outcome: string; buckets: number[]; sum: number; count: number }>(
      `SELECT lower(status) AS outcome,
              array[${BUCKETS.map((b) => `count(*) FILTER (WHERE d <= ${b})::int`).join(', ')}] AS buckets,
              coalesce(sum(d), 0)::float8 AS sum, count(*)::int AS count
         FROM (SELECT status, extract(epoch FROM updated_at - created_at) AS d
                 FROM orders WHERE status IN ('CONFIRMED', 'CANCELLED')) finished
        GROUP BY status`,
    ),
    pool.query<{ reason: string; n: number }>(
      `SELECT coalesce(state->>'cancellationReason', 'UNKNOWN') AS reason, count(*)::int AS n
         FROM orders WHERE status = 'CANCELLED' AND state->'timeline' ? 'reservedAt' GROUP BY 1`,
    ),
  ]);
  return {
    byStatus: new Map(status.rows.map((r) => [r.status, r.n])),
    pastDeadline: stuck.rows[0]?.past_deadline ?? 0,
    olderThan: stuck.rows[0]?.older ?? 0,
    durations: new Map(durations.rows.map((r) => [r.outcome, { buckets: r.buckets, sum: r.sum, count: r.count }])),
    compensations: new Map(compensations.rows.map((r) => [r.reason, r.n])),
  };
}
