export const COMPONENTS = ['postgres', 'toxiproxy', 'kafka', 'connect', 'jaeger'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** One long-running process of the native stack. */
export interface Component {
  name: ComponentName;
  port: number;
  logFile: string;
  pid(): number | undefined;
  healthy(): Promise<boolean>;
  /** Starts the process if not running and waits until healthy (bounded). */
  start(): Promise<void>;
  /** Graceful stop; no-op if not running. */
  stop(): Promise<void>;
  /** Crash-like stop (SIGKILL / immediate shutdown), for chaos tests. */
  kill(): Promise<void>;
}

export class ComponentError extends Error {
  constructor(
    readonly component: string,
    readonly logFile: string,
    message: string,
  ) {
    super(`[${component}] ${message}\n  log: ${logFile}`);
  }
}

/** Before spawning: a port that already answers belongs to someone else, so fail now and say so. */
export async function assertPortsFree(component: string, logFile: string, host: string, ports: number[]): Promise<void> {
  const { portOpen } = await import('./wait');
  const busy: number[] = [];
  for (const p of ports) if (await portOpen(host, p)) busy.push(p);
  if (busy.length > 0) {
    throw new ComponentError(
      component,
      logFile,
      `port ${busy.join(', ')} on ${host} is already in use by a process this stack did not start (see \`ss -ltnp\`)`,
    );
  }
}

/**
 * After a stop or kill: a JVM's main thread turns zombie while its other threads (and its
 * sockets) are still being torn down, so wait until the ports are really closed.
 */
export async function waitPortsClosed(host: string, ports: number[], timeoutMs = 20_000): Promise<void> {
  const { portOpen, sleep } = await import('./wait');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open: number[] = [];
    for (const p of ports) if (await portOpen(host, p, 200)) open.push(p);
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`ports ${open.join(', ')} on ${host} still open ${timeoutMs} ms after stopping`);
    await sleep(100);
  }
}

/**
 * After a start: polls `healthy` until it answers (bounded), failing early when `alive` says the
 * process is gone; a failure names the component and its log file.
 */
export async function waitHealthy(
  component: ComponentName,
  logFile: string,
  healthy: () => Promise<boolean>,
  opts: { timeoutMs: number; what: string; alive?: () => boolean },
): Promise<void> {
  const { waitFor } = await import('./wait');
  await waitFor(
    async () => {
      if (opts.alive && !opts.alive()) throw new Error('the process exited');
      return healthy();
    },
    { timeoutMs: opts.timeoutMs, intervalMs: 500, what: opts.what },
  ).catch((err: Error) => {
    throw new ComponentError(component, logFile, err.message);
  });
}
