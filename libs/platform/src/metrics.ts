import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Gauges read when /metrics is scraped, all from one `read`: it runs once per scrape (its result
 * serves every gauge of that scrape, and anyone calling `shared`, for 250 ms), and a read that
 * fails leaves the series out while the scrape itself succeeds.
 */
export function scrapedGauges<T>(registry: Registry, read: () => Promise<T>) {
  let last: Promise<T> | undefined;
  const shared = (): Promise<T> => (last ??= read().finally(() => setTimeout(() => (last = undefined), 250).unref()));
  const gauge = (name: string, help: string, labelNames: readonly string[], set: (g: Gauge, value: T) => void): Gauge =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const value = await shared().catch(() => undefined);
        if (value !== undefined) set(this, value);
      },
    });
  return { shared, gauge };
}
