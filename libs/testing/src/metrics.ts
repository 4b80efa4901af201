import type { Registry } from 'prom-client';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text exposition format (what GET /metrics returns). */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of every sample called `name` whose labels include `labels` (0 when there is none). */
export function sumSamples(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** A metric's value in a prom-client registry, summed over the label sets that match. */
export async function metricValue(registry: Registry, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  return sumSamples(parsePrometheusText(await registry.metrics()), name, labels);
}

/** A metric's value from a process's /metrics endpoint. */
export async function scrapeMetric(url: string, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return sumSamples(parsePrometheusText(await res.text()), name, labels);
}
