import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { startDeadlineSweeper } from './application/deadline.sweeper';
import { config } from './config';
import { ORDER_SERVICE_TOPICS, orderHandlers } from './consumers';
import { mapDomainError } from './http/domain-errors';
import { ordersRouter } from './http/orders.router';

const sagaTimeoutMs = config.SAGA_TIMEOUT_MS;

await runService({
  name: 'order-service',
  port: config.PORT,
  databaseUrl: config.DATABASE_URL,
  kafkaBrokers: config.KAFKA_BROKERS,
  logLevel: config.LOG_LEVEL,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  topics: ORDER_SERVICE_TOPICS,
  handlers: orderHandlers({ sagaTimeoutMs }),
  parkTtlMs: config.PARK_TTL_MS,
  outboxRetentionMs: config.OUTBOX_RETENTION_MS,
  routes: ({ pool, afterChange }) => ordersRouter({ pool, sagaTimeoutMs, afterChange }),
  mapError: mapDomainError,
  workers: ({ pool, logger, afterChange }) => [
    ['deadline sweeper', startDeadlineSweeper({ pool, logger, sagaTimeoutMs, intervalMs: config.DEADLINE_SWEEP_INTERVAL_MS, afterChange })],
  ],
});
