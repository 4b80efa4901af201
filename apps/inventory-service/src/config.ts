import { parseConfig, serviceEnv } from '@choreo/platform';
import { z } from 'zod';

export const config = parseConfig(z.object(serviceEnv(3002)), process.env);
export type Config = typeof config;
