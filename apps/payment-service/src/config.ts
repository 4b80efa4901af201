import { env, parseConfig } from '@choreo/platform';
import { z } from 'zod';

const schema = z.object({
  PORT: env.port(3003),
  DATABASE_URL: env.url(),
  KAFKA_BROKERS: env.brokers(),
  ADMIN_TOKEN: env.secret(),
  LOG_LEVEL: env.logLevel(),
  PARK_TTL_MS: env.ms(5 * 60_000),
  OUTBOX_RETENTION_MS: env.ms(60 * 60_000),
});

export const config = parseConfig(schema, process.env);
export type Config = typeof config;
