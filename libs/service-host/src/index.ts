export * from './decide-and-store';
export * from './prefetch';
export { OPERATOR_ENDPOINTS } from './operator.endpoints';
export { operatorRoutes } from './operator.router';
import { CONSUMED_TOPICS, CONSUMER_GROUPS, type ServiceName } from '@choreo/contracts';
import { createConsumerRuntime, sweepInbox, type BatchPrefetch, type ConsumerRuntime, type HandlerMap } from '@choreo/messaging';
import { createPublicationMonitor, sweepOutbox } from '@choreo/outbox';
import {
  closeServer,
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  createPool,
  listen,
  migrate,
  onShutdown,
  repeatEvery,
  startTracing,
  type Logger,
  type Pool,
  type Route,
  type ServiceEnv,
  type TestFaultEnv,
} from '@choreo/platform';
import type { Registry } from 'prom-client';
import { withHandlerFaults } from './handler-faults';
import { operatorRoutes } from './operator.router';

export interface ServiceContext {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly consumer: ConsumerRuntime;
  /** Re-tries a saga's parked events after a change made outside the consumer (HTTP, timers). */
  readonly afterChange: (sagaId: string) => void;
}

export interface ServiceDefinition {
  /** Which service: its runtime name (consumer group, inbox, logs, metrics) and topics come from the contracts' topology. */
  readonly service: ServiceName;
  /** The service's parsed environment (platform's `serviceEnv` plus its own keys). */
  readonly config: ServiceEnv & Partial<TestFaultEnv>;
  readonly migrationsDir: string;
  readonly handlers: HandlerMap;
  /** Reads what a consumer batch's handlers will load, in one round trip (`prefetchByOrderId`). */
  readonly prefetch?: BatchPrefetch;
  readonly poolSize?: number;
  /** The service's HTTP routes; the OpenAPI document at GET /openapi.json is generated from their endpoints. */
  readonly routes: (ctx: ServiceContext) => readonly Route[];
  /** Series of the service's own (read at scrape time), registered on the service's registry. */
  readonly metrics?: (ctx: ServiceContext) => void;
  /** Background loops started once the consumer runs; each returns its stop function. */
  readonly workers?: (ctx: ServiceContext) => ReadonlyArray<readonly [string, () => Promise<void>]>;
}

/**
 * Boots a Choreo service: migrate, consume, serve HTTP (health, metrics, problem details),
 * sweep the outbox; on SIGTERM stop HTTP, the workers, the consumer, then the pool, and exit 0.
 */
export async function runService(def: ServiceDefinition): Promise<ServiceContext> {
  const { config } = def;
  const name = CONSUMER_GROUPS[def.service];
  // Before the pool, the server and the Kafka clients exist: the instrumentations patch their packages.
  const tracing = startTracing({
    serviceName: name,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
  });
  const logger = createLogger(name, config.LOG_LEVEL);
  const registry = createMetricsRegistry(name);
  const pool = createPool(config.DATABASE_URL, logger, { max: def.poolSize ?? 20 });
  await migrate(config.DATABASE_URL, def.migrationsDir, logger);

  const consumer = createConsumerRuntime({
    name,
    brokers: config.KAFKA_BROKERS,
    topics: CONSUMED_TOPICS[def.service],
    handlers: withHandlerFaults(def.handlers, config.CHOREO_TEST_FAIL_EVENT_TYPES ?? []),
    ...(def.prefetch ? { prefetch: def.prefetch } : {}),
    pool,
    logger,
    registry,
    parkTtlMs: config.PARK_TTL_MS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  });
  const afterChange = (sagaId: string) => {
    consumer.releaseParked(sagaId).catch((error) => logger.warn({ err: error, sagaId }, 'releasing parked events failed'));
  };
  const ctx: ServiceContext = { pool, logger, registry, consumer, afterChange };
  def.metrics?.(ctx);
  const publication = createPublicationMonitor({
    pool,
    registry,
    slot: config.CDC_SLOT_NAME ?? `choreo_${def.service}`,
    ...(config.CDC_CONNECT_URL
      ? { connect: { url: config.CDC_CONNECT_URL, connector: config.CDC_CONNECTOR ?? `${def.service}-outbox` } }
      : {}),
  });

  const app = createHttpApp({
    logger,
    title: name,
    metrics: registry,
    readiness: {
      database: async () => void (await pool.query('SELECT 1')),
      kafka: async () => {
        if (!consumer.isReady()) throw new Error('consumer has not joined its group');
      },
    },
    readinessDetails: { publication: () => publication.read() },
    routes: [...def.routes(ctx), ...operatorRoutes({ pool, consumer: name, adminToken: config.ADMIN_TOKEN })],
  });

  const server = await listen(app, config.PORT);
  await consumer.start();
  const workers = def.workers?.(ctx) ?? [];
  const stopRetention = repeatEvery(
    60_000,
    async () => {
      // While the outbox does not reach Kafka, its rows are what a slot recovery re-publishes.
      if (await publication.sweepAllowed()) await sweepOutbox(pool, config.OUTBOX_RETENTION_MS);
      else logger.warn({ publication: await publication.read() }, 'outbox sweep held: its connector is not streaming from a healthy slot');
      await sweepInbox(pool, name, config.INBOX_RETENTION_MS);
    },
    (error) => logger.warn({ err: error }, 'retention sweep failed; next tick retries'),
  );
  logger.info({ port: config.PORT, tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'off' }, `${name} listening`);

  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ...workers,
    ['retention sweeper', stopRetention],
    ['consumer', () => consumer.stop()],
    ['database pool', () => pool.end()],
    ...(tracing ? [['tracing', () => tracing.shutdown()] as const] : []),
  ]);
  return ctx;
}
