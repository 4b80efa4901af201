import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from './bench-report';
import { runBench } from './bench-run';

/** A smoke test of the bench's code on the real stack: one short step, and a complete, well-formed report. */
describe('npm run bench (smoke)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'choreo-bench-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('when one 10 s step runs, then the report has every figure, a table and two charts', async () => {
    const report = await runBench({
      profile: 'smoke',
      rates: [10],
      stepSeconds: 10,
      stopAfterFailures: 1,
      unloadedSagas: 3,
      warmUp: { ratePerSec: 10, seconds: 2 },
      reference: { clients: 2, seconds: 2 },
      links: 'direct',
      outDir,
      log: () => undefined,
    });

    const written = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as BenchReport;
    expect(written).toEqual(report);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.warmUp).toEqual({ ratePerSec: 10, seconds: 2, orders: 20 });
    expect(report.ladder).toHaveLength(1);
    const [step] = report.ladder;
    expect(step).toMatchObject({ offeredPerSec: 10, seconds: 10, orders: 100, accepted: 100, postErrors: 0 });
    expect(step!.terminal).toBe(100);
    expect(step!.saga.n).toBe(100);
    expect(step!.saga.p50).toBeGreaterThan(0);
    expect(step!.saga.p50).toBeLessThanOrEqual(step!.saga.p99);
    expect(step!.completedPerSec).toBeGreaterThan(0);
    expect(Object.keys(step!.cpuMsPerSaga)).toEqual(
      expect.arrayContaining(['postgres', 'kafka', 'connect', 'order-service', 'inventory-service', 'payment-service', 'bench client']),
    );
    expect(step!.cpuMsPerSaga['postgres']).toBeGreaterThan(0);
    // Every hop of a confirmed saga, each with the three timings the system recorded.
    const hops = step!.hops.map((h) => `${h.eventType}:${h.from}>${h.to}`);
    expect(hops).toEqual(
      expect.arrayContaining(['OrderPlaced:order>inventory', 'InventoryReserved:inventory>payment', 'PaymentAuthorized:payment>order']),
    );
    for (const hop of step!.hops) expect(hop.cdc.n).toBe(hop.total.n);
    expect(report.unloaded?.saga.n).toBe(3);
    expect(report.unloaded?.hops.map((h) => h.eventType)).toEqual(expect.arrayContaining(['OrderPlaced', 'PaymentAuthorized']));
    expect(report.reference?.stepsPerSec).toBeGreaterThan(0);
    expect(report.transactionsPerSaga).toBeGreaterThan(1);
    expect(report.dbBoundSagasPerSec).toBeGreaterThan(0);

    const markdown = readFileSync(join(outDir, 'latest.md'), 'utf8');
    expect(markdown).toContain('| offered /s | completed /s |');
    expect(markdown).toMatch(/\n\| 10 \| [\d.]+ \|/);
    expect(markdown).toContain("Where an unloaded saga's time goes");
    for (const chart of ['latency.svg', 'throughput.svg']) {
      const svg = readFileSync(join(outDir, chart), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('<path d="M');
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(existsSync(join(outDir, 'history'))).toBe(true);
  });
});
