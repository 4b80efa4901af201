import { createConsumerRuntime, type ConsumerRuntime, type HandlerMap } from '@choreo/messaging';
import { startOutboxSweeper } from '@choreo/outbox';
import {
  closeServer,
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  createPool,
  finish,
  listen,
  migrate,
  onShutdown,
  type ErrorMapper,
  type Logger,
  type Pool,
} from '@choreo/platform';
import type { Router } from 'express';
import type { Registry } from 'prom-client';

export interface ServiceContext {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly consumer: ConsumerRuntime;
  /** Re-tries a saga's parked events after a change made outside the consumer (HTTP, timers). */
  readonly afterChange: (sagaId: string) => void;
}

export interface ServiceDefinition {
  readonly name: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly logLevel: string;
  readonly migrationsDir: string;
  readonly topics: readonly string[];
  readonly handlers: HandlerMap;
  readonly parkTtlMs: number;
  readonly outboxRetentionMs: number;
  readonly poolSize?: number;
  readonly routes: (ctx: ServiceContext) => Router;
  readonly mapError?: ErrorMapper;
  /** Background loops started once the consumer runs; each returns its stop function. */
  readonly workers?: (ctx: ServiceContext) => ReadonlyArray<readonly [string, () => Promise<void>]>;
}

/**
 * Boots a Choreo service: migrate, consume, serve HTTP (health, metrics, problem details),
 * sweep the outbox; on SIGTERM stop HTTP, the workers, the consumer, then the pool, and exit 0.
 */
export async function runService(def: ServiceDefinition): Promise<ServiceContext> {
  const logger = createLogger(def.name, def.logLevel);
  const registry = createMetricsRegistry(def.name);
  const pool = createPool(def.databaseUrl, logger, { max: def.poolSize ?? 20 });
  await migrate(def.databaseUrl, def.migrationsDir, logger);

  const consumer = createConsumerRuntime({
    name: def.name,
    brokers: def.kafkaBrokers,
    topics: def.topics,
    handlers: def.handlers,
    pool,
    logger,
    registry,
    parkTtlMs: def.parkTtlMs,
  });
  const afterChange = (sagaId: string) => {
    consumer.releaseParked(sagaId).catch((error) => logger.warn({ err: error, sagaId }, 'releasing parked events failed'));
  };
  const ctx: ServiceContext = { pool, logger, registry, consumer, afterChange };

  const app = createHttpApp({
    logger,
    metrics: registry,
    readiness: {
      database: async () => void (await pool.query('SELECT 1')),
      kafka: async () => {
        if (!consumer.isReady()) throw new Error('consumer has not joined its group');
      },
    },
  });
  app.use(def.routes(ctx));
  finish(app, logger, def.mapError);

  const server = await listen(app, def.port);
  await consumer.start();
  const workers = def.workers?.(ctx) ?? [];
  const stopOutboxSweeper = startOutboxSweeper(pool, {
    retentionMs: def.outboxRetentionMs,
    intervalMs: 60_000,
    onError: (error) => logger.warn({ err: error }, 'outbox sweep failed'),
  });
  logger.info({ port: def.port }, `${def.name} listening`);

  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ...workers,
    ['outbox sweeper', async () => stopOutboxSweeper()],
    ['consumer', () => consumer.stop()],
    ['database pool', () => pool.end()],
  ]);
  return ctx;
}
