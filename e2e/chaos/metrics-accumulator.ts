import { parsePrometheusText } from '@choreo/testing';

/** The messaging counters a report needs (libs/messaging/src/messaging.metrics.ts). */
const COUNTERS = [
  'choreo_messages_processed_total',
  'choreo_messages_duplicates_total',
  'choreo_events_parked_total',
  'choreo_events_released_total',
  'choreo_messages_dead_lettered_total',
  'choreo_message_retries_total',
] as const;
export type CounterName = (typeof COUNTERS)[number];

export interface ScrapeTarget {
  /** A process, not a service: `<id>#<pid>`, so a restarted process counts as a new series from 0. */
  readonly id: string;
  readonly url: string;
}

/**
 * Sums the increase of each counter over a run across every process that ran, by scraping
 * GET /metrics on an interval (like Prometheus' `increase()`): a process that restarts starts a
 * new series. What a process counted after its last scrape and before a SIGKILL is lost, which
 * is why the runner scrapes once more right before it kills or stops one.
 */
export class MetricsAccumulator {
  private readonly last = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private scraping: Promise<void> = Promise.resolve();
  private baseline = true;
  private stopped = false;

  constructor(private readonly targets: () => readonly ScrapeTarget[]) {}

  /** Takes the starting values (not counted), then scrapes every `intervalMs`. */
  async start(intervalMs = 500): Promise<void> {
    await this.scrapeNow();
    this.baseline = false;
    this.timer = setInterval(() => void this.scrapeNow(), intervalMs);
    this.timer.unref();
  }

  scrapeNow(): Promise<void> {
    this.scraping = this.scraping.then(() => this.scrapeAll());
    return this.scraping;
  }

  /** Stops scraping after a last scrape; later calls do nothing. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.scrapeNow();
  }

  /** Increase of `name` summed over every process and every label set matching `labels`. */
  total(name: CounterName, labels: Readonly<Record<string, string>> = {}): number {
    let sum = 0;
    for (const [key, value] of this.totals) {
      const [metric, labelText] = key.split('|') as [string, string];
      if (metric !== name) continue;
      const parsed = JSON.parse(labelText) as Record<string, string>;
      if (Object.entries(labels).every(([k, v]) => parsed[k] === v)) sum += value;
    }
    return sum;
  }

  private async scrapeAll(): Promise<void> {
    await Promise.all(
      this.targets().map(async (t) => {
        let text: string;
        try {
          const res = await fetch(`${t.url}/metrics`, { signal: AbortSignal.timeout(2_000) });
          if (!res.ok) return;
          text = await res.text();
        } catch {
          return; // down right now: its counters are read again when it answers
        }
        for (const s of parsePrometheusText(text)) {
          if (!(COUNTERS as readonly string[]).includes(s.name)) continue;
          const { consumer: _consumer, ...labels } = s.labels;
          const series = `${s.name}|${JSON.stringify(labels)}`;
          const seen = `${t.id}|${series}`;
          const before = this.last.get(seen);
          this.last.set(seen, s.value);
          if (this.baseline && before === undefined) continue;
          const increase = before === undefined || s.value < before ? s.value : s.value - before;
          if (increase > 0) this.totals.set(series, (this.totals.get(series) ?? 0) + increase);
        }
      }),
    );
  }
}
