// `npm run test:compose`: the compose path end to end on this machine, from nothing.
// Engine and Compose (installed and started if missing), base images (created locally if no
// registry gave them), `docker compose build`, the image tests (each service image run alone),
// `up --wait`, then the e2e saga suite and one chaos scenario against that stack (the same specs
// as native mode; the services run from their images), then `down`. Prints how long each step
// took. A native stack that was running is stopped first (it holds the same ports) and started
// again at the end; a dockerd this run started is stopped at the end (CHOREO_KEEP_DOCKER=1 keeps it).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureDeps } from '../ensure-deps.mjs';

const file = 'infra/docker-compose.yml';
const chaosScenario = process.env.CHOREO_COMPOSE_CHAOS ?? 'toxics-order-kafka';
const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const env = {
  ...process.env,
  CHOREO_STACK: 'compose',
  NX_DAEMON: 'false',
  // The legacy builder where BuildKit's buildx is absent (docs/adr/0016).
  ...(quiet('docker', ['buildx', 'version']) ? {} : { DOCKER_BUILDKIT: '0' }),
  COMPOSE_PARALLEL_LIMIT: '1',
};
const timings = [];
let failed = false;

function step(name, cmd, args, extraEnv = {}) {
  const t0 = Date.now();
  console.log(`\n[compose] ${name}: ${cmd} ${args.join(' ')}`);
  const status = spawnSync(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
  timings.push([name, Math.round((Date.now() - t0) / 1000), status]);
  if (status !== 0) failed = true;
  return status === 0;
}

const started = Date.now();
ensureDeps();
const dockerWasUp = quiet('docker', ['info']);
const ready =
  step('engine and compose', 'bash', ['scripts/docker/engine.sh']) && step('base images', 'bash', ['scripts/docker/base-images.sh']);
const nativeWasUp = ready && quiet('npx', ['tsx', 'infra/stack/src/cli.ts', 'status']);
if (nativeWasUp) step('native stack down (same ports)', 'npx', ['tsx', 'infra/stack/src/cli.ts', 'down']);
const built = ready && step('build images', 'docker', ['compose', '-f', file, 'build']);
if (built) step('image tests', 'npx', ['vitest', 'run', '--project', 'image']);
if (built && step('up --wait', 'docker', ['compose', '-f', file, 'up', '-d', '--wait'])) {
  // The saga-trace spec reads Jaeger, which only the native stack runs (docs/adr/0017).
  const sagaSpecs = readdirSync('e2e/saga')
    .filter((f) => f.endsWith('.e2e.spec.ts') && f !== 'saga-trace.e2e.spec.ts')
    .map((f) => `e2e/saga/${f}`);
  step('e2e saga suite', 'npx', ['vitest', 'run', '--project', 'e2e', ...sagaSpecs]);
  step(`chaos ${chaosScenario}`, 'npx', ['vitest', 'run', '--project', 'chaos'], {
    CHOREO_CHAOS_PROFILE: 'full',
    CHOREO_CHAOS_SCENARIO: chaosScenario,
  });
}
if (ready) step('down', 'docker', ['compose', '-f', file, 'down', '-v', '--remove-orphans']);
if (nativeWasUp) step('native stack up again', 'npx', ['tsx', 'infra/stack/src/cli.ts', 'up']);
if (ready && !dockerWasUp && process.env.CHOREO_KEEP_DOCKER !== '1') {
  const pidFile = join(process.env.CHOREO_CACHE ?? join(homedir(), '.cache', 'choreo'), 'dockerd.pid');
  process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
  console.log('[compose] stopped the dockerd this run started (its images stay cached)');
}

console.log('\n[compose] timings');
for (const [name, s, status] of timings)
  console.log(`  ${name.padEnd(34)} ${String(s).padStart(5)} s${status === 0 ? '' : `  FAILED (exit ${status})`}`);
console.log(`  ${'total'.padEnd(34)} ${String(Math.round((Date.now() - started) / 1000)).padStart(5)} s`);
process.exit(failed ? 1 : 0);
