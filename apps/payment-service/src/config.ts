import { parseConfig, serviceEnv, serviceSchema, testFaultEnv } from '@choreo/platform';

export const config = parseConfig(serviceSchema({ ...serviceEnv(3003), ...testFaultEnv }), process.env);
export type Config = typeof config;
