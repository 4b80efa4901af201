export class TimeoutError extends Error {}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  what: string;
}

/** Polls `probe` until it returns a value other than undefined/false, or throws TimeoutError. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new TimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True if something accepts TCP connections on host:port. */
export async function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
