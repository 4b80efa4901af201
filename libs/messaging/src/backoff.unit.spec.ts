import { describe, expect, it } from 'vitest';
import { backoffMs, pause } from './backoff';

describe('backoffMs', () => {
  it('when the attempts grow, then the ceiling doubles from initialMs up to maxMs', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, 100, 2_000, top))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });

  it('when jitter is at its lowest, then the delay is half the ceiling, never zero', () => {
    expect(backoffMs(3, 100, 2_000, () => 0)).toBe(400);
    expect(backoffMs(0, 1, 10, () => 0)).toBe(1);
  });

  it('when the attempt count is huge, then it does not overflow and stays capped', () => {
    expect(backoffMs(10_000, 100, 5_000, () => 1)).toBe(5_000);
    expect(Number.isFinite(backoffMs(Number.MAX_SAFE_INTEGER, 100, 5_000))).toBe(true);
  });

  it('when random jitter is used, then every delay stays within [ceiling/2, ceiling]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(2, 100, 5_000);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('pause', () => {
  it('when the signal aborts, then it resolves early', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('when the signal is already aborted, then it resolves at once', async () => {
    await expect(pause(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
