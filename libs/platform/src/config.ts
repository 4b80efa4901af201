import { z } from 'zod';

/** Parses the environment once at boot; a bad or missing variable stops the process with every problem listed. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new Error(`invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  return Object.freeze(result.data);
}

/** Reusable env fragments so each app's config.ts stays a short list of what it needs. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  url: () => z.string().url(),
  ms: (fallback: number) => z.coerce.number().int().nonnegative().default(fallback),
  brokers: () =>
    z
      .string()
      .min(1)
      .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  secret: () => z.string().min(8),
};
