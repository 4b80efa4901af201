import { describe, expect, it } from 'vitest';
import { configErrorLine, MIN_DEPLOYED_ADMIN_TOKEN, serviceEnv, serviceSchema, testFaultEnv } from './config';

const base = { DATABASE_URL: 'postgres://u:p@h:5432/db', KAFKA_BROKERS: 'h:9092' };
const parse = (env: Record<string, string>) => serviceSchema(serviceEnv(3001)).safeParse({ ...base, ...env });
const strong = 'x'.repeat(MIN_DEPLOYED_ADMIN_TOKEN);

describe('service config: the admin token', () => {
  it.each([
    ['missing, deployed by default', {}],
    ['short, deployed by default', { ADMIN_TOKEN: 'admin-local-only' }],
    ['short, deployed explicitly', { CHOREO_ENV: 'deployed', ADMIN_TOKEN: 'x'.repeat(MIN_DEPLOYED_ADMIN_TOKEN - 1) }],
    ['missing, local', { CHOREO_ENV: 'local' }],
    ['under 8 characters, local', { CHOREO_ENV: 'local', ADMIN_TOKEN: 'short' }],
  ])('when the token is %s, then the config is refused naming ADMIN_TOKEN and not its value', (_what, env: Record<string, string>) => {
    const result = parse(env);
    expect(result.success).toBe(false);
    const line = configErrorLine(result.error!);
    expect(line).toMatch(/ADMIN_TOKEN/);
    if (env['ADMIN_TOKEN']) expect(line).not.toContain(env['ADMIN_TOKEN']);
  });

  it('when the config is local, then the short local-only token is accepted; a deployment needs 32 characters', () => {
    expect(parse({ CHOREO_ENV: 'local', ADMIN_TOKEN: 'admin-local-only' }).data?.ADMIN_TOKEN).toBe('admin-local-only');
    expect(parse({ ADMIN_TOKEN: strong }).data).toMatchObject({ CHOREO_ENV: 'deployed', ADMIN_TOKEN: strong });
  });
});

describe('service config: the test-only handler fault', () => {
  const withFault = (env: Record<string, string>) =>
    serviceSchema({ ...serviceEnv(3001), ...testFaultEnv }).safeParse({ ...base, ADMIN_TOKEN: strong, ...env });

  it('when a deployment sets CHOREO_TEST_FAIL_EVENT_TYPES, then the config is refused naming it', () => {
    const result = withFault({ CHOREO_TEST_FAIL_EVENT_TYPES: 'OrderPlaced' });
    expect(result.success).toBe(false);
    expect(configErrorLine(result.error!)).toMatch(/CHOREO_TEST_FAIL_EVENT_TYPES: a test-only switch: refused unless CHOREO_ENV=local/);
  });

  it('when it is local, then the switch is a list of event types; unset or empty, it is off', () => {
    expect(withFault({ CHOREO_ENV: 'local', CHOREO_TEST_FAIL_EVENT_TYPES: 'OrderPlaced, OrderCancelled' }).data).toMatchObject({
      CHOREO_TEST_FAIL_EVENT_TYPES: ['OrderPlaced', 'OrderCancelled'],
    });
    expect(withFault({}).data).not.toHaveProperty('CHOREO_TEST_FAIL_EVENT_TYPES');
    expect(withFault({ CHOREO_TEST_FAIL_EVENT_TYPES: '' }).success).toBe(true);
  });
});
