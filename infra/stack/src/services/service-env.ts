import { join } from 'node:path';
import type { ServiceName, StackConfig } from '../stack-config';

/** The variables a service's config.ts reads: never inherited from whoever launches it. */
const SERVICE_KEYS = [
  'PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'ADMIN_TOKEN', 'LOG_LEVEL', 'SAGA_TIMEOUT_MS',
  'DEADLINE_SWEEP_INTERVAL_MS', 'PARK_TTL_MS', 'OUTBOX_RETENTION_MS',
] as const;

export interface ServiceEnvOptions {
  readonly port?: number;
  /** `proxied` (default): DB and Kafka through the service's Toxiproxy proxies, so chaos can cut them. */
  readonly links?: 'proxied' | 'direct';
  readonly logLevel?: string;
  /** Wins over everything else, e.g. `{ SAGA_TIMEOUT_MS: '4000' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

export const serviceMain = (cfg: StackConfig, service: ServiceName) => join(cfg.root, 'apps', `${service}-service`, 'src', 'main.ts');

/** The environment a service process gets: the stack's endpoints for it, then the caller's overrides. */
export function serviceEnv(cfg: StackConfig, service: ServiceName, opts: ServiceEnvOptions = {}): NodeJS.ProcessEnv {
  const svc = cfg.services[service];
  const direct = opts.links === 'direct';
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SERVICE_KEYS) delete inherited[key];
  // A test runner's loader hooks or inspector flags have no business in a service.
  delete inherited['NODE_OPTIONS'];
  return {
    ...inherited,
    PORT: String(opts.port ?? svc.httpPort),
    DATABASE_URL: direct ? svc.dbUrlDirect : svc.dbUrl,
    KAFKA_BROKERS: (direct ? [cfg.kafka.bootstrap] : svc.kafkaBrokers).join(','),
    ADMIN_TOKEN: cfg.adminToken,
    LOG_LEVEL: opts.logLevel ?? 'info',
    ...(service === 'order' ? { SAGA_TIMEOUT_MS: String(cfg.sagaTimeoutMs) } : {}),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...opts.env,
  };
}
