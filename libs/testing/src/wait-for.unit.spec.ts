import { describe, expect, it } from 'vitest';
import { waitFor, WaitTimeoutError } from './wait-for';

describe('waitFor', () => {
  it('when the probe turns truthy, then it returns that value without waiting for the deadline', async () => {
    let calls = 0;
    const started = Date.now();
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), {
      timeoutMs: 10_000,
      intervalMs: 5,
      description: 'three calls',
    });
    expect(value).toEqual({ calls: 3 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('when the probe returns 0 or an empty string, then those count as done (only undefined, null and false mean not yet)', async () => {
    expect(await waitFor(() => 0, { timeoutMs: 100, description: 'zero' })).toBe(0);
    expect(await waitFor(() => '', { timeoutMs: 100, description: 'empty' })).toBe('');
  });

  it('when the deadline passes, then it throws with the description and the last value', async () => {
    const error = await waitFor(() => false, { timeoutMs: 50, intervalMs: 10, description: 'the impossible' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/waiting for the impossible \(last value: false\)/);
  });

  it('when the probe keeps throwing, then the timeout carries the last error as message and cause', async () => {
    const boom = new Error('connection refused');
    const error = (await waitFor(
      () => {
        throw boom;
      },
      { timeoutMs: 30, intervalMs: 5, description: 'a server' },
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('last error: connection refused');
    expect(error.cause).toBe(boom);
  });

  it('when the probe throws at first and then succeeds, then it returns the value', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        if (++calls < 3) throw new Error('not yet');
        return 'up';
      },
      { timeoutMs: 1_000, intervalMs: 5, description: 'recovery' },
    );
    expect(value).toBe('up');
  });
});
