import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadStackConfig } from '@choreo/stack';
import { waitFor } from './wait-for';

export interface ChildHandle {
  readonly proc: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Every stderr line so far (for failure messages). */
  readonly errors: readonly string[];
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a stdout line that parses as JSON and satisfies `match`; returns it parsed. */
  waitForJson<T = Record<string, unknown>>(match: (line: T) => boolean, opts: { timeoutMs: number; description: string }): Promise<T>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a TypeScript script in its own Node process through tsx (path aliases work), with the
 * repository root as cwd. Its stdout is read as lines; JSON lines are how it reports.
 */
export function spawnTsx(script: string, opts: { env?: Record<string, string>; args?: readonly string[] } = {}): ChildHandle {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...(opts.args ?? [])], {
    cwd: loadStackConfig().root,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errors: string[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: proc.stderr! }).on('line', (line) => errors.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    proc,
    lines,
    errors,
    exited,
    waitForJson<T>(match: (line: T) => boolean, { timeoutMs, description }: { timeoutMs: number; description: string }) {
      return waitFor(
        () => {
          for (const line of lines) {
            const parsed = parseJson<T>(line);
            if (parsed !== undefined && match(parsed)) return parsed;
          }
          if (gone) throw new Error(`process exited; stderr tail: ${errors.slice(-5).join(' | ')}`);
          return undefined;
        },
        { timeoutMs, description },
      );
    },
    async kill(signal) {
      if (!gone) proc.kill(signal);
      await exited;
    },
  };
}

function parseJson<T>(line: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
