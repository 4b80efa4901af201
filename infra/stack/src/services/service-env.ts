import { join } from 'node:path';
import { SERVICE_ENV_KEYS } from '@choreo/platform';
import type { ServiceName, StackConfig } from '../stack-config';

/** What this launcher computes per service and instance; every other service key is a tunable from infra/.env. */
const ENDPOINT_KEYS = [
  'PORT',
  'DATABASE_URL',
  'KAFKA_BROKERS',
  'ADMIN_TOKEN',
  'LOG_LEVEL',
  'CDC_SLOT_NAME',
  'CDC_CONNECT_URL',
  'CDC_CONNECTOR',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  // Test-only, never a tunable: a test passes it in `env` for one start (libs/platform testFaultEnv).
  'CHOREO_TEST_FAIL_EVENT_TYPES',
];
export const SERVICE_TUNABLES = SERVICE_ENV_KEYS.filter((key) => !ENDPOINT_KEYS.includes(key));

export interface ServiceEnvOptions {
  readonly port?: number;
  /** `proxied` (default): DB and Kafka through the service's Toxiproxy proxies, so chaos can cut them. */
  readonly links?: 'proxied' | 'direct';
  readonly logLevel?: string;
  /** Wins over everything else, e.g. `{ SAGA_TIMEOUT_MS: '4000' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

export const serviceMain = (cfg: StackConfig, service: ServiceName) => join(cfg.root, 'apps', `${service}-service`, 'src', 'main.ts');

/**
 * The environment a service process gets: the stack's endpoints for it and the tunables of
 * infra/.env (each overridable by a variable of the same name, like every key there), then the
 * caller's overrides. No service key is inherited from whoever launches it.
 */
export function serviceEnv(cfg: StackConfig, service: ServiceName, opts: ServiceEnvOptions = {}): NodeJS.ProcessEnv {
  const svc = cfg.services[service];
  const direct = opts.links === 'direct';
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SERVICE_ENV_KEYS) delete inherited[key];
  // A test runner's loader hooks or inspector flags have no business in a service.
  delete inherited['NODE_OPTIONS'];
  const tunables = Object.fromEntries(SERVICE_TUNABLES.flatMap((key) => (cfg.vars[key] === undefined ? [] : [[key, cfg.vars[key]]])));
  return {
    ...inherited,
    ...tunables,
    PORT: String(opts.port ?? svc.httpPort),
    DATABASE_URL: direct ? svc.dbUrlDirect : svc.dbUrl,
    KAFKA_BROKERS: (direct ? [cfg.kafka.bootstrap] : svc.kafkaBrokers).join(','),
    ADMIN_TOKEN: cfg.adminToken,
    LOG_LEVEL: opts.logLevel ?? cfg.vars['LOG_LEVEL'] ?? 'info',
    CDC_SLOT_NAME: svc.connector.slot,
    CDC_CONNECT_URL: cfg.connect.url,
    CDC_CONNECTOR: svc.connector.name,
    OTEL_EXPORTER_OTLP_ENDPOINT: cfg.jaeger.otlpUrl,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...opts.env,
  };
}
