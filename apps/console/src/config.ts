import { z } from 'zod';
import { env, parseConfig, serviceEnv, serviceSchema } from '@choreo/platform';

const { CHOREO_ENV, ADMIN_TOKEN, LOG_LEVEL, KAFKA_BROKERS } = serviceEnv(3004);

/**
 * The saga console: where the three services answer, the admin token it checks operators
 * against and calls them with, and the brokers whose .dlq topics it reads and redrives into.
 */
const schema = serviceSchema({
  CHOREO_ENV,
  PORT: env.port(3004),
  ADMIN_TOKEN,
  LOG_LEVEL,
  KAFKA_BROKERS,
  ORDER_SERVICE_URL: env.url(),
  INVENTORY_SERVICE_URL: env.url(),
  PAYMENT_SERVICE_URL: env.url(),
  /** An open saga older than this is listed as stuck (order-service's metric uses the same name and default). */
  SAGA_STUCK_AFTER_MS: env.ms(60_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

export const config = parseConfig(schema, process.env);
export type ConsoleConfig = typeof config;
