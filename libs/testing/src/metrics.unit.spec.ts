import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { metricValue, parsePrometheusText, sumSamples } from './metrics';

const TEXT = `# HELP choreo_messages_processed_total Messages settled
# TYPE choreo_messages_processed_total counter
choreo_messages_processed_total{consumer="a",outcome="applied",topic="t"} 3
choreo_messages_processed_total{consumer="a",outcome="duplicate",topic="t"} 2
choreo_messages_processed_total{consumer="b",outcome="applied",topic="t \\"q\\""} 1
process_cpu_seconds_total 0.25
`;

describe('Prometheus text', () => {
  it('when parsed, then every sample has its name, labels (unescaped) and value', () => {
    const samples = parsePrometheusText(TEXT);
    expect(samples).toHaveLength(4);
    expect(samples[2]).toEqual({
      name: 'choreo_messages_processed_total',
      labels: { consumer: 'b', outcome: 'applied', topic: 't "q"' },
      value: 1,
    });
    expect(samples[3]).toEqual({ name: 'process_cpu_seconds_total', labels: {}, value: 0.25 });
  });

  it('when summed with a label subset, then only matching samples count; no match is 0', () => {
    const samples = parsePrometheusText(TEXT);
    expect(sumSamples(samples, 'choreo_messages_processed_total')).toBe(6);
    expect(sumSamples(samples, 'choreo_messages_processed_total', { outcome: 'applied' })).toBe(4);
    expect(sumSamples(samples, 'choreo_messages_processed_total', { outcome: 'parked' })).toBe(0);
  });

  it('when read from a prom-client registry, then the value is the sum over matching label sets', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'x', labelNames: ['kind'] as const, registers: [registry] });
    counter.inc({ kind: 'a' }, 2);
    counter.inc({ kind: 'b' });
    expect(await metricValue(registry, 'x_total')).toBe(3);
    expect(await metricValue(registry, 'x_total', { kind: 'b' })).toBe(1);
  });
});
