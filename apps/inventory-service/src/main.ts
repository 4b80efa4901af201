import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { INVENTORY_SERVICE_TOPICS, inventoryHandlers } from './consumers';
import { mapDomainError } from './http/domain-errors';
import { productsRouter } from './http/products.router';

await runService({
  name: 'inventory-service',
  port: config.PORT,
  databaseUrl: config.DATABASE_URL,
  kafkaBrokers: config.KAFKA_BROKERS,
  logLevel: config.LOG_LEVEL,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  topics: INVENTORY_SERVICE_TOPICS,
  handlers: inventoryHandlers(),
  parkTtlMs: config.PARK_TTL_MS,
  outboxRetentionMs: config.OUTBOX_RETENTION_MS,
  routes: ({ pool }) => productsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
  mapError: mapDomainError,
});
