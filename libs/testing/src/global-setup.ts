/**
 * vitest globalSetup for the int / e2e / chaos projects: make sure the real stack is up.
 *
 *   CHOREO_STACK=native       (default) `stackUp()`: installs/starts what is missing, reuses what runs.
 *   CHOREO_STACK=external     the stack is managed elsewhere: touch nothing.
 *   CHOREO_STACK=compose      `docker compose -f infra/docker-compose.yml up -d --build --wait`, then
 *                             stops compose's three service containers: the tests start, stop and kill
 *                             the services themselves, from the same images on the compose network
 *                             (ServiceLauncher, service-container.ts). `npm run test:compose` runs it.
 *   CHOREO_STACK=containers   PostgreSQL, Kafka and Toxiproxy from the project's images, started by
 *                             Testcontainers for this run and removed after it (containers-stack.ts);
 *                             the int project then skips infra/stack, whose specs test the native stack.
 *   CHOREO_STACK_TEARDOWN=1   stop the stack afterwards, but only if this run started it.
 *
 * A stack that was already running is never torn down; one this run started is left running
 * unless CHOREO_STACK_TEARDOWN=1, so the next test loop starts in seconds.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadStackConfig, SERVICES, stackDown, stackStatus, stackUp } from '@choreo/stack';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const mode = process.env['CHOREO_STACK'] ?? 'native';
  const teardown = process.env['CHOREO_STACK_TEARDOWN'] === '1';
  const cfg = loadStackConfig();
  if (mode === 'external') return;
  if (mode === 'compose') {
    const file = join(cfg.root, 'infra', 'docker-compose.yml');
    const compose = (...args: string[]) => {
      const r = spawnSync('docker', ['compose', '-f', file, ...args], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`docker compose ${args.join(' ')} failed (exit ${r.status})`);
    };
    compose('up', '-d', '--build', '--wait');
    compose('stop', ...SERVICES.map((s) => `${s}-service`));
    return async () => {
      if (teardown) compose('down', '-v', '--remove-orphans');
    };
  }
  if (mode === 'containers') {
    const { startContainersStack } = await import('./containers-stack');
    const stack = await startContainersStack(cfg);
    Object.assign(process.env, stack.env);
    return () => stack.stop();
  }
  if (mode !== 'native') throw new Error(`CHOREO_STACK=${mode}: expected native, external, compose or containers`);
  const foundRunning = (await stackStatus(cfg)).some((c) => c.pid !== undefined);
  await stackUp(cfg);
  return async () => {
    if (!foundRunning && teardown) await stackDown({}, cfg);
  };
}
