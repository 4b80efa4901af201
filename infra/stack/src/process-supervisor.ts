import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sleep } from './wait';

/**
 * Detached background processes with a pidfile and an append-only log file.
 * Only pids recorded in our own pidfiles are ever signalled, and only after checking that
 * /proc/<pid>/cmdline still contains the marker we started it with (no pid-reuse accidents).
 */
export interface ManagedProcess {
  name: string;
  pidFile: string;
  logFile: string;
  marker: string;
}

export function managed(runDir: string, logDir: string, name: string, marker: string): ManagedProcess {
  return { name, pidFile: join(runDir, `${name}.pid`), logFile: join(logDir, `${name}.log`), marker };
}

export function readPid(p: ManagedProcess): number | undefined {
  if (!existsSync(p.pidFile)) return undefined;
  const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** `flags` bit of a kernel thread in /proc/<pid>/stat (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;

/**
 * Whether `pid` is the live process we started with `marker` in its arguments. While a process
 * is in execve (`nice` becoming `java`, a step that itself runs at the lowered priority and so
 * can wait for a core) its cmdline reads empty for a moment: a live user process with no
 * arguments yet is the one we just started, not a stranger that reused the pid.
 */
export function isOurs(pid: number, marker: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name: state, ppid, pgrp, session, tty_nr, tpgid, flags, …
    const [state, , , , , , flags] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return false;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (cmd === '') return (Number(flags) & PF_KTHREAD) === 0;
    return cmd.includes(marker);
  } catch {
    return false;
  }
}

/** The live pid of a managed process, or undefined (a stale pidfile is removed). */
export function livePid(p: ManagedProcess): number | undefined {
  const pid = readPid(p);
  if (pid === undefined) return undefined;
  if (isOurs(pid, p.marker)) return pid;
  rmSync(p.pidFile, { force: true });
  return undefined;
}

export interface SpawnSpec {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * A lower scheduling priority (1..19) for work that can wait for a core. The process starts
   * under `nice` (every thread inherits it) and, where the kernel groups each session for
   * scheduling (autogroup: a detached process is a session of its own), its group gets the same
   * nice value; otherwise the process nice would count only inside its own group.
   */
  nice?: number;
}

export function startDetached(p: ManagedProcess, spec: SpawnSpec): number {
  mkdirSync(dirname(p.pidFile), { recursive: true });
  mkdirSync(dirname(p.logFile), { recursive: true });
  const fd = openSync(p.logFile, 'a');
  writeFileSync(fd, `\n===== ${new Date().toISOString()} starting ${p.name}: ${spec.cmd} ${spec.args.join(' ')}\n`);
  const [cmd, args] = spec.nice ? ['nice', ['-n', String(spec.nice), spec.cmd, ...spec.args]] : [spec.cmd, spec.args];
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: spec.env ?? process.env,
    cwd: spec.cwd,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`failed to spawn ${p.name} (${spec.cmd})`);
  child.unref();
  writeFileSync(p.pidFile, `${child.pid}\n`);
  if (spec.nice) setAutogroupNice(child.pid, spec.nice);
  return child.pid;
}

/** The autogroup's nice value, where the kernel has autogroups (a positive value needs no privilege). */
function setAutogroupNice(pid: number, nice: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** SIGTERM the process group, wait up to graceMs, then SIGKILL. Returns true if something was stopped. */
export async function stopProcess(p: ManagedProcess, graceMs = 15_000): Promise<boolean> {
  const pid = livePid(p);
  if (pid === undefined) return false;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isOurs(pid, p.marker)) await sleep(100);
  if (isOurs(pid, p.marker)) {
    signal(pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (Date.now() < killDeadline && isOurs(pid, p.marker)) await sleep(100);
  }
  rmSync(p.pidFile, { force: true });
  return true;
}

/** SIGKILL without grace: what a crash looks like (chaos tests). */
export async function killProcess(p: ManagedProcess): Promise<boolean> {
  const pid = livePid(p);
  if (pid === undefined) return false;
  signal(pid, 'SIGKILL');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && isOurs(pid, p.marker)) await sleep(50);
  rmSync(p.pidFile, { force: true });
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // the whole group: we started it detached, so pid == pgid
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

export function tailFile(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no log file at ${file})`;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    return buf
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } finally {
    closeSync(fd);
  }
}
