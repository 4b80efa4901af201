import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { expressPath, jsonBody, route, type Route } from './api/endpoint';
import { methodGuard } from './api/method-guard';
import { openApiDocument } from './api/openapi';
import { PLATFORM_ENDPOINTS } from './api/platform-endpoints';
import { HTTP_PROBLEMS } from './api/problem-codes';
import { AppError } from './errors';
import { httpMetrics } from './http-metrics';
import { problem, problemDetails, PROBLEM_JSON } from './problem-details';

export type ReadinessCheck = () => Promise<void>;

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /**
   * Shown under `details` on /health/ready without gating it: a service whose events wait in its
   * outbox still serves, so a lost replication slot is reported here and alerted on, not a 503.
   */
  readonly readinessDetails?: Readonly<Record<string, () => Promise<unknown>>>;
  /** The service's own routes, mounted after health, metrics and /openapi.json. */
  readonly routes?: readonly Route[];
  /** Names the OpenAPI document (`order-service`). */
  readonly title?: string;
  readonly bodyLimit?: string;
}

/** The longest request target served; RFC 9110 asks for at least 8,000 bytes of request line. */
export const MAX_URL_BYTES = 2_048;
/** Request line plus headers; Node answers 431 beyond it (see `listen`). */
export const MAX_HEADER_BYTES = 16 * 1_024;

/** Security headers for an API that serves JSON only: nothing may be framed, sniffed, cached or run. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/**
 * A complete express app: security headers, URL limit, health, metrics, /openapi.json, the
 * service's routes, then 405/OPTIONS for known paths, 404, and the one error handler.
 */
export function createHttpApp(opts: HttpAppOptions): Express {
  const { logger, metrics, readiness, routes = [], bodyLimit = '64kb' } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics(metrics));
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
    }),
  );
  app.use((req, res, next) => {
    res.set('Cache-Control', SECURITY_HEADERS['Cache-Control']);
    const { status, code, description } = HTTP_PROBLEMS.urlTooLong;
    next(Buffer.byteLength(req.originalUrl) > MAX_URL_BYTES ? new AppError(status, code, description) : undefined);
  });
  const [live, ready, metricsEndpoint, openapi] = PLATFORM_ENDPOINTS;
  const document = openApiDocument(
    opts.title ?? 'service',
    routes.map((r) => r.endpoint),
  );
  const all: Route[] = [
    route(live, (_input, res) => res.json({ status: 'ok' })),
    route(ready, async (_input, res) => {
      const results = await Promise.all(Object.entries(readiness).map(async ([name, check]) => [name, await probe(name, check, logger)]));
      const isReady = results.every(([, status]) => status === 'ok');
      const details = await Promise.all(
        Object.entries(opts.readinessDetails ?? {}).map(async ([name, read]) => [
          name,
          await read().catch((error: Error) => {
            // The reason goes to the log; the body never carries an internal message.
            logger.warn({ err: error, detail: name }, 'readiness detail could not be read');
            return { error: 'unavailable' };
          }),
        ]),
      );
      res.status(isReady ? 200 : 503).json({
        status: isReady ? 'ready' : 'not-ready',
        checks: Object.fromEntries(results),
        ...(details.length > 0 ? { details: Object.fromEntries(details) } : {}),
      });
    }),
    route(metricsEndpoint, async (_input, res) => res.type(metrics.contentType).send(await metrics.metrics())),
    route(openapi, (_input, res) => res.json(document)),
    ...routes,
  ];
  for (const { endpoint, guard, handle } of all) {
    const handlers: RequestHandler[] = [
      ...(guard ? [guard] : []),
      ...(endpoint.body ? jsonBody(bodyLimit) : []),
      (req, res) => handle(req, res),
    ];
    app[endpoint.method](expressPath(endpoint.path), ...handlers);
  }
  app.use(methodGuard(all.map((r) => r.endpoint)));
  app.use((req, _res, next) => {
    const { status, code } = HTTP_PROBLEMS.routeNotFound;
    next(new AppError(status, code, `no route for ${req.method} ${req.path}`));
  });
  app.use(problemDetails(logger));
  return app;
}

async function probe(name: string, check: ReadinessCheck, logger: Logger): Promise<'ok' | 'failing'> {
  try {
    await withTimeout(check(), 2_000);
    return 'ok';
  } catch (error) {
    logger.debug({ check: name, reason: (error as Error)?.message }, 'readiness check failed');
    return 'failing';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts listening; resolves once the port is bound. Requests Node cannot parse get problem details too. */
export function listen(app: Express, port: number): Promise<Server> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  server.on('clientError', answerUnparsable);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

/** What Node's parser refused (headers too large, a malformed request line) never reached express. */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const { status, code, description } = error.code === 'HPE_HEADER_OVERFLOW' ? HTTP_PROBLEMS.headersTooLarge : HTTP_PROBLEMS.malformed;
  const body = JSON.stringify(problem(status, code, description));
  const headers = { ...SECURITY_HEADERS, 'Content-Type': PROBLEM_JSON, 'Content-Length': Buffer.byteLength(body), Connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
}

/** Stops accepting connections and waits for in-flight requests. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
