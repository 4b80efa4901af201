import { parseConfig, serviceEnv, serviceSchema } from '@choreo/platform';

export const config = parseConfig(serviceSchema(serviceEnv(3002)), process.env);
export type Config = typeof config;
