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
import { config } from './config';
import { PAYMENT_SERVICE_TOPICS, paymentHandlers } from './consumers';
import { accountsRouter } from './http/accounts.router';
import { mapDomainError } from './http/domain-errors';
import { paymentsRouter } from './http/payments.router';

const SERVICE = 'payment-service';
const logger = createLogger(SERVICE, config.LOG_LEVEL);
const registry = createMetricsRegistry(SERVICE);
const pool = createPool(config.DATABASE_URL, logger, 20);

await migrate(config.DATABASE_URL, fileURLToPath(new URL('../migrations', import.meta.url)), logger);

const consumer = createConsumerRuntime({
  name: SERVICE,
  brokers: config.KAFKA_BROKERS,
  topics: PAYMENT_SERVICE_TOPICS,
  handlers: paymentHandlers(),
  pool,
  logger,
  registry,
  parkTtlMs: config.PARK_TTL_MS,
});

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
app.use(accountsRouter({ pool, adminToken: config.ADMIN_TOKEN }));
app.use(paymentsRouter({ pool }));
finish(app, logger, mapDomainError);

const server = await listen(app, config.PORT);
await consumer.start();
const stopOutboxSweeper = startOutboxSweeper(pool, {
  retentionMs: config.OUTBOX_RETENTION_MS,
  intervalMs: 60_000,
  onError: (error) => logger.warn({ err: error }, 'outbox sweep failed'),
});
logger.info({ port: config.PORT }, `${SERVICE} listening`);

onShutdown(logger, [
  ['http', () => closeServer(server)],
  ['outbox sweeper', async () => stopOutboxSweeper()],
  ['consumer', () => consumer.stop()],
  ['database pool', () => pool.end()],
]);
