import { parseConfig, sagaDeadlineEnv, serviceEnv } from '@choreo/platform';
import { z } from 'zod';

const schema = z.object({ ...serviceEnv(3001), ...sagaDeadlineEnv });

export const config = parseConfig(schema, process.env);
export type Config = typeof config;
