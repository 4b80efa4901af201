import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { isOurs } from '../process-supervisor';
import { dockerRunArgs, signalContainer, type ServiceContainers } from './service-container';
import { sleep } from '../wait';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when a graceful stop ran out of time and the process was SIGKILLed. */
  readonly forced: boolean;
}

export interface SpawnServiceSpec {
  /** `order-service`, or `order-service-2` for a second instance. */
  readonly id: string;
  readonly main: string;
  readonly cwd: string;
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly pidFile: string;
  /** Extra `node` flags before the entry point. */
  readonly nodeArgs?: readonly string[];
  /** Run `image` on the compose network instead of `node main` (`main` is then the image name). */
  readonly container?: ServiceContainers;
}

export class ServiceStartError extends Error {
  /** `output`: what the process wrote during this start, if it ran at all; its last lines are quoted. */
  constructor(
    readonly id: string,
    readonly logFile: string,
    reason: string,
    output?: string,
  ) {
    const tail = output === undefined ? '' : `\n--- last lines of this start ---\n${output.trimEnd().split('\n').slice(-25).join('\n')}`;
    super(`${id} ${reason}\n  log: ${logFile}${tail}`);
    this.name = 'ServiceStartError';
  }
}

const watchdog = new URL('./parent-watchdog.ts', import.meta.url).href;

/** One running service process: its own process group, stdout+stderr appended to its log file. */
export class ServiceProcess {
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private forced = false;

  private constructor(
    readonly spec: SpawnServiceSpec,
    readonly child: ChildProcess,
    readonly logOffset: number,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, forced: this.forced };
        rmSync(spec.pidFile, { force: true });
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }
  get running(): boolean {
    return this.exit === undefined;
  }
  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }
  /** What this process wrote to its log so far (the file is shared with earlier runs). */
  log(): string {
    try {
      // The offset counts bytes: cut the bytes, then decode (a multi-byte character earlier in the file must not shift it).
      return readFileSync(this.spec.logFile).subarray(this.logOffset).toString('utf8');
    } catch {
      return '';
    }
  }

  static async spawn(spec: SpawnServiceSpec): Promise<ServiceProcess> {
    await reapOrphan(spec);
    if (await portInUse(spec.port)) {
      throw new ServiceStartError(
        spec.id,
        spec.logFile,
        `cannot start: port ${spec.port} is already in use (another \`npm start\` or test run?)`,
      );
    }
    mkdirSync(dirname(spec.logFile), { recursive: true });
    mkdirSync(dirname(spec.pidFile), { recursive: true });
    const logOffset = fileSize(spec.logFile);
    const fd = openSync(spec.logFile, 'a');
    writeSync(fd, `\n===== ${new Date().toISOString()} starting ${spec.id} on :${spec.port}\n`);
    const [file, args] = spec.container
      ? ['docker', dockerRunArgs(spec.container, spec.id, spec.main, spec.port, spec.env)]
      : [process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', '--import', watchdog, spec.main]];
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...spec.env, CHOREO_LAUNCHER_PID: String(process.pid) },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    if (child.pid === undefined) throw new ServiceStartError(spec.id, spec.logFile, `could not be spawned (${file})`);
    writeFileSync(spec.pidFile, JSON.stringify({ pid: child.pid, launcher: process.pid, main: spec.main, port: spec.port }));
    return new ServiceProcess(spec, child, logOffset);
  }

  /** Polls GET /health/ready until 200; fails early if the process exits, or at the deadline. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running) {
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new ServiceStartError(
          this.spec.id,
          this.spec.logFile,
          `was not ready (GET /health/ready = 200) within ${timeoutMs} ms`,
          this.log(),
        );
      }
      await Promise.race([sleep(200), this.exited]);
    }
    const { code, signal } = this.exit!;
    throw new ServiceStartError(this.spec.id, this.spec.logFile, `exited during start-up (code ${code}, signal ${signal})`, this.log());
  }

  /** SIGTERM, then waits for the exit; past `graceMs` the process group is SIGKILLed. */
  async stop(graceMs = 20_000): Promise<ExitInfo> {
    if (!this.running) return this.exit!;
    this.signal('SIGTERM');
    const timer = setTimeout(() => {
      this.forced = true;
      this.signal('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: what a crash looks like. */
  async kill(): Promise<ExitInfo> {
    if (!this.running) return this.exit!;
    this.signal('SIGKILL');
    return this.exited;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.spec.container) return signalContainer(this.spec.container.project, this.spec.id, sig);
    try {
      process.kill(-this.pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        /* already gone */
      }
    }
  }
}

/**
 * A pidfile left by a launcher that died: if its service still runs and the launcher that
 * started it is gone, stop it (the watchdog normally does that within a second). A service
 * whose launcher is alive belongs to someone else: leave it, the port check reports it.
 */
async function reapOrphan(spec: SpawnServiceSpec): Promise<void> {
  let rec: { pid: number; launcher: number; main: string };
  try {
    rec = JSON.parse(readFileSync(spec.pidFile, 'utf8')) as typeof rec;
  } catch {
    return;
  }
  if (!isOurs(rec.pid, rec.main)) return rmSync(spec.pidFile, { force: true });
  if (isAlive(rec.launcher)) return;
  try {
    process.kill(-rec.pid, 'SIGTERM');
  } catch {
    /* raced with its own exit */
  }
  const deadline = Date.now() + 20_000;
  while (isOurs(rec.pid, rec.main) && Date.now() < deadline) await sleep(100);
  if (isOurs(rec.pid, rec.main))
    try {
      process.kill(-rec.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  rmSync(spec.pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (used: boolean) => {
      socket.destroy();
      resolve(used);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
