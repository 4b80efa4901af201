// `npm test`: static checks, then unit → integration → e2e → chaos (short) on the real stack.
// Prints one closing line "tests: N passed, N failed" summed over every vitest project.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CHOREO_CHAOS_PROFILE: process.env.CHOREO_CHAOS_PROFILE ?? 'short' };
const only = process.argv.slice(2); // e.g. `npm test -- unit int`
const wants = (step) => only.length === 0 || only.includes(step);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
const started = Date.now();
let staticFailed = false;
let passed = 0;
let failed = 0;

if (wants('static')) {
  staticFailed = run('npx', ['nx', 'run-many', '-t', 'lint,typecheck,build', '--outputStyle=stream']) !== 0;
  // Formatting is part of lint: `npm run format` fixes what this reports.
  staticFailed = run('npx', ['prettier', '--check', '.']) !== 0 || staticFailed;
}

const stackProjects = ['int', 'e2e', 'chaos'].filter(wants);
let startedStack = false;
if (stackProjects.length > 0 && (process.env.CHOREO_STACK ?? 'native') === 'native') {
  // Bring the stack up before vitest so a cold install is not bounded by a hook timeout.
  startedStack = run('npx', ['tsx', 'infra/stack/src/cli.ts', 'status']) !== 0;
  if (run('npx', ['tsx', 'infra/stack/src/cli.ts', 'up']) !== 0) {
    console.error('[choreo] the local stack did not come up; see the component and log named above');
    process.exit(1);
  }
}

mkdirSync('reports', { recursive: true });
for (const project of ['unit', ...stackProjects].filter(wants)) {
  const out = `reports/vitest-${project}.json`;
  const status = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const report = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
  passed += report?.numPassedTests ?? 0;
  failed += report?.numFailedTests ?? 0;
  if (status !== 0 && (report?.numFailedTests ?? 0) === 0) failed += 1; // a suite that crashed before its tests counts too
}

if (startedStack && process.env.CHOREO_KEEP_STACK !== '1') run('npx', ['tsx', 'infra/stack/src/cli.ts', 'down']);
if (staticFailed) console.error('[choreo] lint, typecheck or build failed (see above)');
console.log(`[choreo] finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${passed} passed, ${failed + (staticFailed ? 1 : 0)} failed`);
process.exit(failed > 0 || staticFailed ? 1 : 0);
