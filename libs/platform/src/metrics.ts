import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Gauges read when /metrics is scraped, all from one `read`: it runs once per scrape (the scrape
 * asks every gauge at once, and they, and anyone calling `shared` meanwhile, share the read in
 * flight; the next caller gets a fresh one), and a read that fails leaves the series out while
 * the scrape itself succeeds.
 */
export function scrapedGauges<T>(registry: Registry, read: () => Promise<T>) {
  let inFlight: Promise<T> | undefined;
  const shared = (): Promise<T> =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
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
