import { env, parseConfig, serviceEnv } from '@choreo/platform';
import { z } from 'zod';

const schema = z.object({
  ...serviceEnv(3001),
  SAGA_TIMEOUT_MS: env.ms(30_000),
  DEADLINE_SWEEP_INTERVAL_MS: env.ms(1_000),
});

export const config = parseConfig(schema, process.env);
export type Config = typeof config;
