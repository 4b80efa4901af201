import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian bookworm's `prometheus` package carries promtool; only the binary is taken out of it
 * (`apt-get download` + `dpkg-deb -x`, no service installed), once, into the shared cache.
 */
const CACHE = join(process.env['CHOREO_CACHE'] ?? join(homedir(), '.cache', 'choreo'), 'promtool-bookworm');
const BIN = join(CACHE, 'usr', 'bin', 'promtool');

function run(cmd: string, args: readonly string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The path of a promtool binary, downloaded the first time. */
export function ensurePromtool(): string {
  if (existsSync(BIN)) return BIN;
  const work = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    let got = run('apt-get', ['download', 'prometheus'], work);
    if (!got.ok) {
      run('apt-get', ['update']); // a fresh machine's package lists may be empty or stale
      got = run('apt-get', ['download', 'prometheus'], work);
    }
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!got.ok || !deb) throw new Error(`apt-get download prometheus failed: ${got.out.trim()}`);
    const unpacked = join(work, 'root');
    const x = run('dpkg-deb', ['-x', join(work, deb), unpacked]);
    if (!x.ok) throw new Error(`dpkg-deb -x ${deb} failed: ${x.out.trim()}`);
    mkdirSync(join(CACHE, '..'), { recursive: true });
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(unpacked, CACHE);
    return BIN;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs promtool; its exit status and everything it printed. */
export function promtool(args: readonly string[], cwd: string): { ok: boolean; out: string } {
  return run(ensurePromtool(), args, cwd);
}
