import { parseConfig, sagaDeadlineEnv, serviceEnv, serviceSchema } from '@choreo/platform';

const schema = serviceSchema({ ...serviceEnv(3001), ...sagaDeadlineEnv });

export const config = parseConfig(schema, process.env);
export type Config = typeof config;
