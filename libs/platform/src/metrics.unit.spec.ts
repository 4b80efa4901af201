import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { scrapedGauges } from './metrics';

describe('scrapedGauges', () => {
  it('when a scrape asks every gauge at once, then they share one read, and the next scrape reads again', async () => {
    const registry = new Registry();
    let reads = 0;
    const { gauge } = scrapedGauges(registry, async () => ++reads);
    gauge('test_a', 'a', [], (g, n) => g.set(n));
    gauge('test_b', 'b', [], (g, n) => g.set(n * 10));

    const first = await registry.metrics();
    expect(reads).toBe(1);
    expect(first).toContain('test_a 1');
    expect(first).toContain('test_b 10');
    const second = await registry.metrics();
    expect(reads).toBe(2);
    expect(second).toContain('test_a 2');
  });

  it('when the read fails, then its series are left out and the scrape still succeeds', async () => {
    const registry = new Registry();
    const { gauge } = scrapedGauges(registry, () => Promise.reject(new Error('database down')));
    gauge('test_c', 'c', [], (g) => g.set(1));
    expect(await registry.metrics()).not.toContain('test_c 1');
  });
});
