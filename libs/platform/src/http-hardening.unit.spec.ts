import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminRoute, endpoint, route } from './api/endpoint';
import { closeServer, createHttpApp, listen, MAX_URL_BYTES } from './http';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import type { Server } from 'node:http';

const TOKEN = 'a-secret-admin-token-of-32-chars!';
const logged: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logged.push(String(chunk));
    done();
  },
});
const logger = createLogger('hardening-test', 'trace', sink);

const sqlFailure = Object.assign(new Error('duplicate key value violates unique constraint "orders_pkey"'), {
  code: '23505',
  detail: 'Key (order_id)=(o-1) already exists.',
  query: 'INSERT INTO orders (order_id) VALUES ($1)',
});
const boom = endpoint({ operationId: 'boom', method: 'get', path: '/boom', tag: 't', summary: 'fails', responses: {} });
const secret = endpoint({
  operationId: 'secret',
  method: 'put',
  path: '/things/{id}',
  tag: 't',
  summary: 'admin, fails inside',
  admin: true,
  params: z.object({ id: z.string() }),
  body: z.object({ n: z.number() }),
  responses: {},
});
const app = createHttpApp({
  logger,
  metrics: createMetricsRegistry('hardening-test'),
  readiness: {},
  routes: [
    route(boom, () => Promise.reject(sqlFailure)),
    adminRoute(TOKEN, secret, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'rows')");
    }),
  ],
});

let server: Server;
let base: string;
beforeAll(async () => {
  server = await listen(app, 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeServer(server));

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': expect.stringContaining('max-age='),
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

describe('HTTP hardening (every service gets it from createHttpApp)', () => {
  it.each([
    ['a 200', () => request(app).get('/health/live'), 200],
    ['a 404', () => request(app).get('/nope'), 404],
    ['a 405', () => request(app).delete('/health/live'), 405],
    ['a 401', () => request(app).put('/things/x').send({ n: 1 }), 401],
    ['a 500', () => request(app).get('/boom'), 500],
  ])('when the answer is %s, then it carries the security headers and no X-Powered-By', async (_what, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers).toMatchObject(SECURITY_HEADERS);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when a browser on another origin asks, then no CORS header allows it, preflight included', async () => {
    const simple = await request(app).get('/health/live').set('Origin', 'https://evil.example');
    const preflight = await request(app)
      .options('/things/x')
      .set({ Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['allow']).toBe('OPTIONS, PUT');
    for (const res of [simple, preflight]) expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('when TRACE or DELETE reaches a path that only serves GET, then it is 405 with Allow', async () => {
    for (const res of [await request(app).trace('/health/live'), await request(app).delete('/health/live')]) {
      expect({ status: res.status, allow: res.headers['allow'], code: res.body.code }).toEqual({
        status: 405,
        allow: 'GET, HEAD, OPTIONS',
        code: 'HTTP.METHOD_NOT_ALLOWED',
      });
    }
  });

  it('when the URL is longer than the limit, then it is 414 problem details', async () => {
    const res = await request(app).get(`/health/live?pad=${'x'.repeat(MAX_URL_BYTES)}`);
    expect({ status: res.status, type: res.type, code: res.body.code }).toEqual({
      status: 414,
      type: 'application/problem+json',
      code: 'REQUEST.URL_TOO_LONG',
    });
  });

  it('when the headers exceed 16 kB, then the server answers 431 problem details with the security headers', async () => {
    const res = await fetch(`${base}/health/live`, { headers: { 'x-pad': 'x'.repeat(20_000) } });
    expect({ status: res.status, type: res.headers.get('content-type'), code: ((await res.json()) as { code: string }).code }).toEqual({
      status: 431,
      type: 'application/problem+json',
      code: 'REQUEST.HEADERS_TOO_LARGE',
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a route fails with a database error or a bug, then the body has no stack, SQL or internal message', async () => {
    for (const res of [
      await request(app).get('/boom'),
      await request(app).put('/things/x').set('Authorization', `Bearer ${TOKEN}`).send({ n: 1 }),
    ]) {
      expect(res.body).toEqual({
        type: expect.any(String),
        title: 'INTERNAL',
        status: 500,
        code: 'INTERNAL',
        detail: 'an unexpected error occurred',
        instance: expect.any(String),
      });
      expect(res.text).not.toMatch(/orders_pkey|INSERT|Key \(|rows|TypeError|\bat \S+:\d+/);
    }
  });

  it('when requests carry the admin token, right or wrong, and fail, then no log line holds it', async () => {
    const lines = logged.length;
    await request(app).put('/things/x').set('Authorization', `Bearer ${TOKEN}`).send({ n: 1 });
    await request(app).put('/things/x').set('Authorization', `Bearer ${TOKEN}x`).send({ n: 1 });
    logger.info({ config: { ADMIN_TOKEN: TOKEN }, req: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'a careless line');
    expect(logged.length).toBeGreaterThan(lines + 1);
    expect(logged.filter((line) => line.includes(TOKEN))).toEqual([]);
  });
});
