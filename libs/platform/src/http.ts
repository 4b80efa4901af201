import type { Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { AppError, isRuleViolation, REJECTION_STATUS } from './errors';

export type ReadinessCheck = () => Promise<void>;

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly bodyLimit?: string;
}

const PROBLEM = 'application/problem+json';

/** An express app with health, metrics and JSON parsing; call `finish(app)` after mounting routes. */
export function createHttpApp({ logger, metrics, readiness, bodyLimit = '64kb' }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: bodyLimit }));
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (error) {
          logger.debug({ check: name, reason: (error as Error)?.message }, 'readiness check failed');
          return [name, 'failing'] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return app;
}

/** Mounts the 404 and the one error handler. Must be called after all routes. */
export function finish(app: Express, logger: Logger): Express {
  app.use((req, _res, next) => next(new AppError(404, 'HTTP.ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(problemDetails(logger));
  return app;
}

/**
 * Every service renders errors through this, so one failure reads the same from all three:
 * what the client may act on is a 4xx with a stable code; anything else (a broken invariant, a
 * bug, a lost database) is a 500 with a generic body, and its detail goes to the log only.
 */
function problemDetails(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(error);
    if (problem.status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    res
      .status(problem.status)
      .type(PROBLEM)
      .json({ ...problem, instance: req.originalUrl });
  };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [extension: string]: unknown;
}

function toProblem(error: unknown): Problem {
  if (error instanceof AppError) return problem(error.status, error.code, error.message, error.extensions);
  if (isRuleViolation(error)) {
    return error.kind === 'invariant' ? internal() : problem(REJECTION_STATUS[error.kind], error.code, error.message);
  }
  if (error instanceof z.ZodError) {
    return problem(400, 'REQUEST.INVALID', 'the request is invalid', { errors: issues(error) });
  }
  const httpError = error as { type?: string; status?: number };
  if (httpError.type === 'entity.too.large') return problem(413, 'REQUEST.TOO_LARGE', 'the request body is too large');
  if (httpError.type === 'entity.parse.failed') return problem(400, 'REQUEST.MALFORMED_JSON', 'the body is not valid JSON');
  if (httpError.type === 'encoding.unsupported' || httpError.type === 'charset.unsupported') {
    return problem(415, 'REQUEST.UNSUPPORTED_ENCODING', 'unsupported body encoding');
  }
  return internal();
}

const internal = () => problem(500, 'INTERNAL', 'an unexpected error occurred');

const problem = (status: number, code: string, detail: string, ext: Record<string, unknown> = {}): Problem => ({
  type: `https://choreo.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
  title: code,
  status,
  code,
  detail,
  ...ext,
});

const issues = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** Parses untrusted input; the error middleware renders the failure as 400 with every issue. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, code = 'REQUEST.INVALID'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError(400, code, 'the request is invalid', { errors: issues(result.error) });
  return result.data;
}

export function requireAdmin(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    next(ok ? undefined : new AppError(401, 'AUTH.ADMIN_TOKEN_REQUIRED', 'a valid admin bearer token is required'));
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts listening; resolves once the port is bound. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/** Stops accepting connections and waits for in-flight requests. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
