#!/usr/bin/env node
/**
 * Fresh-clone entry point for `npm start`, `npm run demo` (and anything else): no dependencies.
 * Checks the Node version, installs node_modules with `npm ci` when missing or older than the
 * lockfile (scripts/ensure-deps.mjs, shared with `npm test`), then runs the real thing and
 * passes its exit code on.
 *
 *   node scripts/bootstrap.mjs <file.ts> [args…]      runs a TypeScript entry through tsx
 *   node scripts/bootstrap.mjs --bin <tool> [args…]   runs node_modules/.bin/<tool> (vitest, nx …)
 *
 * Signals: Ctrl-C reaches the child from the terminal directly, so SIGINT is not forwarded
 * (a second one would make the child skip its graceful shutdown); SIGTERM and SIGHUP are.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const say = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);

function checkNode() {
  const want = /(\d+)\.(\d+)/.exec(pkg.engines?.node ?? '') ?? [0, '20', '11'];
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < Number(want[1]) || (major === Number(want[1]) && minor < Number(want[2]))) {
    say(`Node ${pkg.engines.node} is required, this is ${process.versions.node}. Install a newer Node (https://nodejs.org) and retry.`);
    process.exit(1);
  }
}

function run(args) {
  if (args.length === 0) {
    say('usage: node scripts/bootstrap.mjs <file.ts> [args…] | --bin <tool> [args…]');
    process.exit(2);
  }
  const [cmd, cmdArgs] =
    args[0] === '--bin'
      ? [join(root, 'node_modules', '.bin', args[1]), args.slice(2)]
      : [process.execPath, ['--import', 'tsx', args[0], ...args.slice(1)]];
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  process.on('SIGINT', () => undefined);
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (error) => {
    say(`cannot run ${cmd}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

checkNode();
ensureDeps(root);
run(process.argv.slice(2));
