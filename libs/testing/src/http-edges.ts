import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  createPool,
  openApiDocument,
  type Endpoint,
  type Pool,
  type Route,
} from '@choreo/platform';

/** A valid request for one endpoint: the edge suite breaks one input of it at a time. */
export interface EdgeSample {
  readonly params?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Text no field may hold: PostgreSQL refuses NUL; controls, lone surrogates and surrounding spaces are refused too. */
const HOSTILE_TEXT = { NUL: 'a\u0000b', 'a control character': 'a\u0007b', 'a lone surrogate': 'a\ud800b', 'a leading space': ' ab' };
/** Path segments as sent on the wire, and the code each must get. */
const HOSTILE_SEGMENTS = [
  ['a malformed percent-encoding', '%E0', 'REQUEST.MALFORMED_URL'],
  ['an encoded invalid UTF-8 sequence', '%C3%28', 'REQUEST.MALFORMED_URL'],
  ['an encoded lone surrogate', '%ED%A0%80', 'REQUEST.MALFORMED_URL'],
  ['an encoded NUL', 'a%00b', 'REQUEST.INVALID'],
  ['an encoded slash', 'a%2Fb', 'REQUEST.INVALID'],
] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'trace'] as const;

const fill = (path: string, params: Readonly<Record<string, string>> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);

/** Every string leaf of a JSON value, as a path of keys and indexes. */
function stringLeaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
  return [];
}

function replaced(value: unknown, path: readonly (string | number)[], by: string): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaced(copy[head!], rest, by);
  return copy;
}

const expectProblem = (res: request.Response, status: number, code: string) => {
  expect({ status: res.status, type: res.type, code: res.body?.code }).toEqual({ status, type: 'application/problem+json', code });
  expect(res.text).not.toMatch(/\bat \S+:\d+|node_modules|SELECT |INSERT |UPDATE /);
};

/**
 * Sends every odd input a client could send each endpoint (docs/adr/0014): hostile text in every
 * string field, path parameter and header, undecodable paths, methods a path does not serve, and a
 * body that is not JSON. Each must be a 4xx problem, never a 5xx; the app's handlers must never run
 * (a pool that cannot connect makes a handler that does run fail the test with a 500).
 */
export function describeHttpEdges(app: () => Express, endpoints: readonly Endpoint[], samples: Record<string, EdgeSample>, admin: string) {
  const send = (e: Endpoint, path: string, headers: Record<string, string> = {}) => {
    const agent = request(app());
    return agent[e.method](path).set({ Authorization: `Bearer ${admin}`, ...headers });
  };

  describe.each(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e] as const))('%s', (_name, e) => {
    const sample = samples[e.operationId] ?? {};
    const url = fill(e.path, sample.params);

    it('when the valid sample is sent, then it passes validation and reaches the handler (its database is unreachable: 500)', async () => {
      expectProblem(await send(e, url, { ...sample.headers }).send(sample.body as object), 500, 'INTERNAL');
    });

    for (const name of Object.keys(e.params?.shape ?? {})) {
      const encodable = Object.entries(HOSTILE_TEXT).filter(([what]) => what !== 'a lone surrogate');
      it.each(encodable)(`when path parameter ${name} holds %s, then it is 400 REQUEST.INVALID`, async (_what, bad) => {
        const res = send(e, fill(e.path, { ...sample.params, [name]: encodeURIComponent(bad) }), { ...sample.headers });
        expectProblem(await res.send(sample.body as object), 400, 'REQUEST.INVALID');
      });
      it.each(HOSTILE_SEGMENTS)(`when path parameter ${name} is %s, then it is 400 %s`, async (_what, segment, code) => {
        const res = await send(e, fill(e.path, { ...sample.params, [name]: segment }), { ...sample.headers }).send(sample.body as object);
        expectProblem(res, 400, code);
      });
    }

    for (const header of Object.keys(e.headers ?? {})) {
      it(`when header ${header} is not visible ASCII, then it is 400 REQUEST.INVALID`, async () => {
        expectProblem(await send(e, url, { ...sample.headers, [header]: 'k\u00e9y' }).send(sample.body as object), 400, 'REQUEST.INVALID');
      });
    }

    for (const leaf of stringLeaves(sample.body)) {
      it.each(Object.entries(HOSTILE_TEXT))(
        `when body field ${leaf.join('.')} holds %s, then it is 400 REQUEST.INVALID`,
        async (_w, bad) => {
          expectProblem(await send(e, url, { ...sample.headers }).send(replaced(sample.body, leaf, bad) as object), 400, 'REQUEST.INVALID');
        },
      );
    }

    if (e.body) {
      it('when the body is sent as text/plain, then it is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE', async () => {
        const res = await send(e, url, { ...sample.headers, 'Content-Type': 'text/plain' }).send(JSON.stringify(sample.body));
        expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      });
    }

    const served: string[] = endpoints.filter((other) => other.path === e.path).map((other) => other.method);
    it.each(METHODS.filter((m) => !served.includes(m)))(
      'when it is called with %s, then it is 405 with Allow listing what the path serves',
      async (method) => {
        const res = await request(app())[method](url);
        expectProblem(res, 405, 'HTTP.METHOD_NOT_ALLOWED');
        const allow = res.headers['allow']?.split(', ').sort();
        expect(allow).toEqual(['OPTIONS', ...served.map((m) => m.toUpperCase()), ...(served.includes('get') ? ['HEAD'] : [])].sort());
      },
    );
  });
}

export interface ServiceApiSuite {
  /** `order-service`: names the document and docs/api/<title>.openapi.json. */
  readonly title: string;
  readonly endpoints: readonly Endpoint[];
  /** The service's real routes, over a pool that cannot connect: a request a handler lets through fails with a 500. */
  readonly routes: (pool: Pool, adminToken: string) => readonly Route[];
  readonly samples: Record<string, EdgeSample>;
}

const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs', 'api');

/** A service's HTTP contract in unit tests: its committed OpenAPI document is current and served, and every edge input is refused. */
export function describeServiceApi({ title, endpoints, routes, samples }: ServiceApiSuite): void {
  const admin = 'test-admin-token';
  const logger = createLogger(`${title}-api-test`, 'silent');
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', logger);
  const app = createHttpApp({ logger, metrics: createMetricsRegistry(title), readiness: {}, title, routes: routes(pool, admin) });

  describe(`${title} OpenAPI document`, () => {
    it(`when the endpoints change, then docs/api/${title}.openapi.json is regenerated (npx vitest run -u) or this fails`, async () => {
      const document = openApiDocument(title, endpoints);
      await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot(join(DOCS, `${title}.openapi.json`));
      expect((await request(app).get('/openapi.json')).body).toEqual(document);
    });
  });

  describeHttpEdges(() => app, endpoints, samples, admin);
}
