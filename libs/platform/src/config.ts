import { z } from 'zod';

/**
 * Parses the environment once at boot. A bad or missing variable stops the process with exit
 * code 1 and one line on stderr naming every problem, which is all a container log or a
 * crash-looping pod needs to show.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    process.stderr.write(`${configErrorLine(result.error)}\n`);
    process.exit(1);
  }
  return Object.freeze(result.data);
}

export function configErrorLine(error: z.ZodError): string {
  return `invalid configuration: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
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
      .transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      ),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  secret: () => z.string().min(8),
};

/** OpenTelemetry tracing (ADR 0017); the names are OpenTelemetry's own, so collectors and operators know them. */
export const tracingEnv = {
  /** OTLP/HTTP base URL of a trace collector (Jaeger: `http://host:4318`); unset or empty, tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), env.url().optional()),
  /** Share of new traces recorded, 0 to 1. A request or event that arrives in a trace keeps that trace's decision. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(0.1),
};

/** What every Choreo service reads from its environment; apps add their own keys. */
export type ServiceEnv = z.infer<z.ZodObject<ReturnType<typeof serviceEnv>>>;

export const serviceEnv = (defaultPort: number) => ({
  /**
   * `local` (infra/.env: a laptop, CI) accepts the local-only admin token; anything else is a
   * deployment, and the default, so a forgotten setting fails safe (see serviceSchema).
   */
  CHOREO_ENV: z.enum(['local', 'deployed']).default('deployed'),
  PORT: env.port(defaultPort),
  DATABASE_URL: env.url(),
  KAFKA_BROKERS: env.brokers(),
  ADMIN_TOKEN: env.secret(),
  LOG_LEVEL: env.logLevel(),
  PARK_TTL_MS: env.ms(5 * 60_000),
  OUTBOX_RETENTION_MS: env.ms(60 * 60_000),
  /** Longer than any redelivery you expect (Kafka keeps 7 days by default). */
  INBOX_RETENTION_MS: env.ms(7 * 24 * 60 * 60_000),
  /**
   * How long the group waits for a member that died without leaving before giving its
   * partitions to others. Short enough that a crashed instance's sagas move on well within
   * SAGA_TIMEOUT_MS; long enough (≥ 3 heartbeats) to ride out a slow network.
   */
  KAFKA_SESSION_TIMEOUT_MS: env.ms(10_000),
  /** The outbox connector's replication slot in this database (its `slot.name`); default `choreo_<service>`. */
  CDC_SLOT_NAME: z
    .string()
    .regex(/^[a-z0-9_]{1,63}$/, 'a replication slot name: lower-case letters, digits and _')
    .optional(),
  /** Kafka Connect's REST API: /health/ready and /metrics then report the outbox connector's tasks too. */
  CDC_CONNECT_URL: env.url().optional(),
  /** The outbox connector's name in Connect; default `<service>-outbox`. */
  CDC_CONNECTOR: z.string().min(1).optional(),
  ...tracingEnv,
});

/** The shortest admin token a deployment may start with: 32 characters, as `openssl rand -hex 16` gives. */
export const MIN_DEPLOYED_ADMIN_TOKEN = 32;

/** A service's environment schema: its fragments, and the admin-token rule that spans two of them. */
export const serviceSchema = <S extends z.ZodRawShape>(shape: S) =>
  z.object(shape).superRefine((value, ctx) => {
    const { CHOREO_ENV, ADMIN_TOKEN, ...rest } = value as { CHOREO_ENV?: string; ADMIN_TOKEN?: string } & Partial<TestFaultEnv>;
    if (CHOREO_ENV !== 'local' && rest.CHOREO_TEST_FAIL_EVENT_TYPES?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHOREO_TEST_FAIL_EVENT_TYPES'],
        message: 'a test-only switch: refused unless CHOREO_ENV=local',
      });
    }
    if (CHOREO_ENV === 'local' || ADMIN_TOKEN === undefined || ADMIN_TOKEN.length >= MIN_DEPLOYED_ADMIN_TOKEN) return;
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_TOKEN'],
      message: `must be at least ${MIN_DEPLOYED_ADMIN_TOKEN} characters unless CHOREO_ENV=local`,
    });
  });

/** order-service's saga deadline. A fragment here, not in its config.ts, so SERVICE_ENV_KEYS sees it. */
export const sagaDeadlineEnv = {
  SAGA_TIMEOUT_MS: env.ms(30_000),
  DEADLINE_SWEEP_INTERVAL_MS: env.ms(1_000),
  /** An open saga older than this counts as stuck on /metrics (`choreo_sagas_stuck{kind="older_than_threshold"}`). */
  SAGA_STUCK_AFTER_MS: env.ms(60_000),
};

/**
 * TEST ONLY, off by default, refused unless CHOREO_ENV=local: event types whose handler throws
 * as a bug would, so the consumer dead-letters them as HANDLER_FAILED (the DLQ redrive test
 * restarts a service with it, then without it, as a fix being deployed). Never in infra/.env,
 * compose or the k8s manifests.
 */
export const testFaultEnv = {
  CHOREO_TEST_FAIL_EVENT_TYPES: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .optional(),
};
export type TestFaultEnv = z.infer<z.ZodObject<typeof testFaultEnv>>;

/**
 * Every variable some service's config.ts reads: the stack launcher sets each of them and never
 * lets one leak in from whoever launches it. A config.ts reads only these fragments, so the list
 * cannot drift from the schemas.
 */
export const SERVICE_ENV_KEYS = Object.keys({ ...serviceEnv(1), ...sagaDeadlineEnv, ...testFaultEnv }) as readonly string[];
