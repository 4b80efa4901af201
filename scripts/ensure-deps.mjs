// Dependency-free: installs node_modules when missing or older than the lockfile, so
// `npm start` and `npm test` work on a fresh clone with nothing done by hand.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ensureDeps(root = process.cwd()) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[choreo] installing dependencies (npm ci)…');
  let result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const lines = (result.stderr ?? '').split('\n');
    const reason = lines.find((line) => line.includes('Missing:')) ?? lines.find((line) => line.includes('error')) ?? 'unknown reason';
    console.log(`[choreo] npm ci: ${reason.replace(/^npm error\s*/, '')}`);
    // npm 11 `npm ci` rejects a lockfile that omits an optional dependency the registry cannot
    // serve (here vite's napi-windows-process-start-time; npm/cli#9846) although `npm install`
    // accepts the very same lockfile and leaves it unchanged. Fall back to that.
    console.log('[choreo] npm ci refused the lockfile; installing with npm install instead…');
    result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  if (result.status !== 0) {
    console.error('[choreo] installing dependencies failed; see the output above');
    process.exit(result.status ?? 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();
