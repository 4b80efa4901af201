import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { sagaDeadlineEnv, serviceEnv as serviceSchema, SERVICE_ENV_KEYS } from '@choreo/platform';
import { readEnvFile } from '../src/env-file';
import { serviceEnv, SERVICE_TUNABLES } from '../src/services/service-env';
import { loadStackConfig, SERVICES } from '../src/stack-config';

const cfg = loadStackConfig({});
const envFile = readEnvFile(cfg.envFile);
const defaults = z.object({ ...serviceSchema(1), ...sagaDeadlineEnv }).parse({
  DATABASE_URL: 'postgres://u:p@h:1/d',
  KAFKA_BROKERS: 'h:1',
  ADMIN_TOKEN: 'long-enough',
}) as Record<string, unknown>;

afterEach(() => vi.unstubAllEnvs());

describe('service environment', () => {
  it("when a service reads a tunable, then infra/.env holds it with the default of the services' schema", () => {
    expect(SERVICE_TUNABLES).toEqual(expect.arrayContaining(['INBOX_RETENTION_MS', 'KAFKA_SESSION_TIMEOUT_MS', 'SAGA_TIMEOUT_MS']));
    for (const key of [...SERVICE_TUNABLES, 'LOG_LEVEL'].filter((k) => k !== 'CHOREO_ENV')) {
      expect(envFile[key], `${key} in infra/.env`).toBeDefined();
      expect(envFile[key], key).toBe(String(defaults[key]));
    }
    // The one deliberate difference: this file is for a laptop or CI; a deployment is not local unless it says so.
    expect([envFile['CHOREO_ENV'], defaults['CHOREO_ENV']]).toEqual(['local', 'deployed']);
  });

  it('when the launcher builds a service environment, then every service key is set by the stack and none is inherited', () => {
    for (const key of SERVICE_ENV_KEYS) vi.stubEnv(key, 'from-the-parent-shell');
    for (const service of SERVICES) {
      const env = serviceEnv(cfg, service);
      for (const key of SERVICE_ENV_KEYS) expect(env[key], `${service} ${key}`).not.toBe('from-the-parent-shell');
      for (const key of SERVICE_TUNABLES) expect(env[key], `${service} ${key}`).toBe(cfg.vars[key]);
    }
  });

  it('when compose starts a service, then it passes the same tunables from infra/.env', () => {
    const compose = parse(readFileSync(join(cfg.root, 'infra', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment: Record<string, string> }>;
    };
    for (const service of SERVICES) {
      const env = compose.services[`${service}-service`]!.environment;
      for (const key of [...SERVICE_TUNABLES, 'LOG_LEVEL']) expect(env[key], `${service}-service ${key}`).toBe(`\${${key}}`);
    }
  });
});
