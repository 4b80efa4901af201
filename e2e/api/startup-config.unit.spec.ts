import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS, SERVICE_NAMES } from '@choreo/contracts';

const root = join(import.meta.dirname, '..', '..');
const SHORT = 'admin-local-only';

/** Boots a service's real entry point with `env` only; nothing is listening at the URLs, so it can only get as far as its config. */
function boot(service: (typeof SERVICE_NAMES)[number], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'apps', `${CONSUMER_GROUPS[service]}`, 'src', 'main.ts')], {
    cwd: root,
    env: { PATH: process.env['PATH'], DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db', KAFKA_BROKERS: '127.0.0.1:1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.each(SERVICE_NAMES)('%s-service startup', (service) => {
  it.each([
    ['no admin token', {}],
    ['a short admin token and no CHOREO_ENV', { ADMIN_TOKEN: SHORT }],
    ['a short admin token and CHOREO_ENV=deployed', { ADMIN_TOKEN: SHORT, CHOREO_ENV: 'deployed' }],
  ])('when it is started with %s, then it refuses to start, names ADMIN_TOKEN and never prints the token', (_what, env) => {
    const r = boot(service, env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/invalid configuration[\s\S]*ADMIN_TOKEN/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SHORT);
  });
});
