import { parseConfig, serviceEnv, serviceSchema } from '@choreo/platform';

export const config = parseConfig(serviceSchema(serviceEnv(3003)), process.env);
export type Config = typeof config;
