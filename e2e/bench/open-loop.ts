/**
 * Open-loop load: requests start on a fixed schedule (request i at start + i/rate), whether or
 * not earlier ones have answered, so a slow system meets the same offered load as a fast one
 * and its queueing shows up as latency instead of as a lower arrival rate (no coordinated
 * omission). Latency is measured from the scheduled start, not from when the request left.
 */
export interface OpenLoopSample<T> {
  readonly index: number;
  /** ms since the run started: when the request was due, and when its answer arrived. */
  readonly dueMs: number;
  readonly doneMs: number;
  readonly result?: T;
  readonly error?: string;
}

export interface OpenLoopRun<T> {
  readonly startedAt: number;
  readonly samples: readonly OpenLoopSample<T>[];
  /** How far behind schedule the generator itself fell at worst (ms): a check on the client. */
  readonly maxScheduleLagMs: number;
}

export async function runOpenLoop<T>(opts: {
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly send: (index: number) => Promise<T>;
}): Promise<OpenLoopRun<T>> {
  const total = Math.max(1, Math.round((opts.ratePerSec * opts.durationMs) / 1000));
  const intervalMs = 1000 / opts.ratePerSec;
  const startedAt = Date.now();
  const t0 = performance.now();
  const inFlight: Promise<OpenLoopSample<T>>[] = [];
  let maxScheduleLagMs = 0;
  for (let i = 0; i < total; i++) {
    const dueMs = i * intervalMs;
    const wait = t0 + dueMs - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxScheduleLagMs = Math.max(maxScheduleLagMs, performance.now() - t0 - dueMs);
    inFlight.push(
      opts.send(i).then(
        (result) => ({ index: i, dueMs, doneMs: performance.now() - t0, result }),
        (error: unknown) => ({ index: i, dueMs, doneMs: performance.now() - t0, error: String((error as Error)?.message ?? error) }),
      ),
    );
  }
  return { startedAt, samples: await Promise.all(inFlight), maxScheduleLagMs: Math.round(maxScheduleLagMs) };
}
