import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, seconds) of processes and their descendants, read from /proc. */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // utime + stime, and cutime + cstime: the children it has reaped (an exited PostgreSQL backend's CPU moves to the postmaster).
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined; // exited between the listing and the read
  }
}

function allStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  return stats;
}

/**
 * A snapshot of each named process tree's CPU seconds. Descendants count (PostgreSQL's
 * backends are children of the postmaster), those still running by their own ticks and those
 * that exited by their parent's count of reaped children's time, so a backend whose pool
 * connection closed during a step keeps its share. A child that exited and was not reaped yet
 * is missed until it is.
 */
export function cpuSnapshot(roots: Readonly<Record<string, number | undefined>>, selfName?: string): Record<string, number> {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const treeTicks = (root: number): number => {
    let ticks = 0;
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      ticks += stats.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return ticks;
  };
  const snapshot = Object.fromEntries(
    Object.entries(roots).map(([name, pid]) => [name, pid === undefined ? 0 : treeTicks(pid) / TICKS_PER_SECOND]),
  );
  // This process alone: the services it launched are its children and are counted on their own.
  if (selfName) {
    const { user, system } = process.cpuUsage();
    snapshot[selfName] = (user + system) / 1e6;
  }
  return snapshot;
}

export function cpuDelta(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, Math.max(0, (after[name] ?? 0) - (before[name] ?? 0))]));
}
