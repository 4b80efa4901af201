/** Latency summaries for the bench: nearest-rank percentiles over milliseconds. */
export interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export const EMPTY_PERCENTILES: Percentiles = { n: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };

/** Nearest-rank percentile of an ascending array (`q` in 0..1). */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return EMPTY_PERCENTILES;
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50: round(percentileOfSorted(sorted, 0.5)),
    p95: round(percentileOfSorted(sorted, 0.95)),
    p99: round(percentileOfSorted(sorted, 0.99)),
    max: round(sorted[sorted.length - 1]!),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
  };
}

/**
 * Whether a series of lag samples (one per second, oldest first) grows: the mean of its last
 * quarter is more than twice the mean of its second quarter, and more than `floor` messages above
 * it. A backlog that a system keeps up with stays flat, whatever its level; one that it cannot
 * keeps climbing. Committed offsets trail processing by up to a commit interval, so a lag that
 * moves by less than about a second of the stream is the sampling, not a backlog.
 */
export function lagGrows(samples: readonly number[], floor = 50): boolean {
  if (samples.length < 4) return false;
  const q = Math.floor(samples.length / 4);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const second = mean(samples.slice(q, 2 * q));
  const last = mean(samples.slice(samples.length - q));
  return last - second > floor && last > 2 * second;
}
