import { createKafka } from '@choreo/messaging';
import { closeServer, createHttpApp, createLogger, createMetricsRegistry, listen, onShutdown } from '@choreo/platform';
import { config } from './config';
import { DeadLetters } from './dead-letters';
import { consoleRouter } from './http/console.router';
import { ServicesClient } from './services.client';

/**
 * The saga console: a read-only web page over the services' APIs (and the .dlq topics), whose
 * one action is a redrive. It holds no state and reaches into no service's database.
 */
const logger = createLogger('console', config.LOG_LEVEL);
const services = new ServicesClient({
  urls: { order: config.ORDER_SERVICE_URL, inventory: config.INVENTORY_SERVICE_URL, payment: config.PAYMENT_SERVICE_URL },
  adminToken: config.ADMIN_TOKEN,
  timeoutMs: config.REQUEST_TIMEOUT_MS,
});
const deadLetters = new DeadLetters(createKafka('choreo-console', config.KAFKA_BROKERS, logger));
const app = createHttpApp({
  logger,
  title: 'console',
  metrics: createMetricsRegistry('console'),
  readiness: {},
  routes: consoleRouter({ services, deadLetters, adminToken: config.ADMIN_TOKEN, stuckAfterMs: config.SAGA_STUCK_AFTER_MS }),
});
const server = await listen(app, config.PORT);
logger.info({ port: config.PORT }, 'console listening');
onShutdown(logger, [
  ['http', () => closeServer(server)],
  ['kafka', () => deadLetters.close()],
]);
