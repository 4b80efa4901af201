import { parseConfig, sagaDeadlineEnv, serviceEnv, serviceSchema, testFaultEnv } from '@choreo/platform';

const schema = serviceSchema({ ...serviceEnv(3001), ...sagaDeadlineEnv, ...testFaultEnv });

export const config = parseConfig(schema, process.env);
export type Config = typeof config;
