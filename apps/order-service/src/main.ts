import { fileURLToPath } from 'node:url';
import { createConsumerRuntime } from '@choreo/messaging';
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
} from '@choreo/platform';
import { startDeadlineSweeper } from './application/deadline.sweeper';
import { config } from './config';
import { ORDER_SERVICE_TOPICS, orderHandlers } from './consumers';
import { mapDomainError } from './http/domain-errors';
import { ordersRouter } from './http/orders.router';

const SERVICE = 'order-service';
const logger = createLogger(SERVICE, config.LOG_LEVEL);
const registry = createMetricsRegistry(SERVICE);
const pool = createPool(config.DATABASE_URL, logger, 20);

await migrate(config.DATABASE_URL, fileURLToPath(new URL('../migrations', import.meta.url)), logger);

const consumer = createConsumerRuntime({
  name: SERVICE,
  brokers: config.KAFKA_BROKERS,
  topics: ORDER_SERVICE_TOPICS,
  handlers: orderHandlers({ sagaTimeoutMs: config.SAGA_TIMEOUT_MS }),
  pool,
  logger,
  registry,
  parkTtlMs: config.PARK_TTL_MS,
});
const afterChange = (orderId: string) => {
  consumer.releaseParked(orderId).catch((error) => logger.warn({ err: error, sagaId: orderId }, 'releasing parked events failed'));
};

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
app.use(ordersRouter({ pool, sagaTimeoutMs: config.SAGA_TIMEOUT_MS, afterChange }));
finish(app, logger, mapDomainError);

const server = await listen(app, config.PORT);
await consumer.start();
const stopDeadlines = startDeadlineSweeper({
  pool,
  logger,
  sagaTimeoutMs: config.SAGA_TIMEOUT_MS,
  intervalMs: config.DEADLINE_SWEEP_INTERVAL_MS,
  afterChange,
});
const stopOutboxSweeper = startOutboxSweeper(pool, {
  retentionMs: config.OUTBOX_RETENTION_MS,
  intervalMs: 60_000,
  onError: (error) => logger.warn({ err: error }, 'outbox sweep failed'),
});
logger.info({ port: config.PORT }, `${SERVICE} listening`);

onShutdown(logger, [
  ['http', () => closeServer(server)],
  ['deadline sweeper', stopDeadlines],
  ['outbox sweeper', async () => stopOutboxSweeper()],
  ['consumer', () => consumer.stop()],
  ['database pool', () => pool.end()],
]);
