export interface WaitForOptions {
  readonly timeoutMs: number;
  /** Pause between probes. Default 100 ms. */
  readonly intervalMs?: number;
  /** What is being waited for, in words: it heads the timeout message. */
  readonly description: string;
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

const done = <T>(value: T): value is NonNullable<T> => value !== undefined && value !== null && value !== false;

/**
 * Polls `probe` until it returns something other than undefined, null or false, and returns
 * that. A probe that throws (an `expect` inside it, a connection refused) is polled again; on
 * the deadline the last error or the last value is part of the message. Not a sleep: it
 * returns as soon as the condition holds.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, opts: WaitForOptions): Promise<NonNullable<T>> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  let last: { error: unknown } | { value: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const why =
        'error' in last ? `last error: ${(last.error as Error)?.message ?? String(last.error)}` : `last value: ${describe(last.value)}`;
      throw new WaitTimeoutError(`timed out after ${Date.now() - started} ms waiting for ${opts.description} (${why})`, {
        cause: 'error' in last ? last.error : undefined,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(opts.intervalMs ?? 100, left)));
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
