// Dependency-free: installs node_modules when missing or older than the lockfile, so
// `npm start` and `npm test` work on a fresh clone with nothing done by hand.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one refusal `npm ci` may be forgiven outside CI: a lockfile written where the registry
 * could not serve vite's Windows-only optional dependency lacks its entry, and npm 11's `npm ci`
 * rejects that (npm/cli#9846) although nothing would be installed for it on this platform.
 */
const KNOWN_REGISTRY_GAP = /Missing: napi-windows-process-start-time@\S+ from lock file/;

export function ensureDeps(root = process.cwd()) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[choreo] installing dependencies (npm ci)…');
  let result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const stderr = result.stderr ?? '';
    const lines = stderr.split('\n');
    const reason = lines.find((line) => line.includes('Missing:')) ?? lines.find((line) => line.includes('error')) ?? 'unknown reason';
    console.log(`[choreo] npm ci: ${reason.replace(/^npm error\s*/, '')}`);
    if (process.env.CI === 'true' || !KNOWN_REGISTRY_GAP.test(stderr)) {
      console.error('[choreo] npm ci failed; fix package-lock.json (npm install --package-lock-only) rather than installing around it');
      process.exit(result.status ?? 1);
    }
    // --no-save: install what the lockfile pins without rewriting it.
    console.log('[choreo] known registry gap; installing with npm install --no-save instead…');
    result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  if (result.status !== 0) {
    console.error('[choreo] installing dependencies failed; see the output above');
    process.exit(result.status ?? 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();
