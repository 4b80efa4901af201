import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { PAYMENT_SERVICE_TOPICS, paymentHandlers } from './consumers';
import { mapDomainError } from './http/domain-errors';
import { paymentRoutes } from './http/payment.routes';

await runService({
  name: 'payment-service',
  port: config.PORT,
  databaseUrl: config.DATABASE_URL,
  kafkaBrokers: config.KAFKA_BROKERS,
  logLevel: config.LOG_LEVEL,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  topics: PAYMENT_SERVICE_TOPICS,
  handlers: paymentHandlers(),
  parkTtlMs: config.PARK_TTL_MS,
  outboxRetentionMs: config.OUTBOX_RETENTION_MS,
  routes: ({ pool }) => paymentRoutes({ pool, adminToken: config.ADMIN_TOKEN }),
  mapError: mapDomainError,
});
