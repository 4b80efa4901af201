import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { endpoint, route } from './api/endpoint';
import { createHttpApp } from './http';
import { createMetricsRegistry } from './metrics';

/**
 * The domain kernel's DomainRuleViolation, by shape: platform may not import domain code.
 * apps/payment-service/src/http/problem-details.unit.spec.ts renders the real class.
 */
const violation = (kind: string, code: string, message: string) =>
  Object.assign(new Error(message), { name: 'DomainRuleViolation', kind, code });

/** Every rule each service's domain and persistence can throw, and what a client must see. */
const POLICY = [
  ['order', 'invalid', 'ORDER.INVALID', 422],
  ['order', 'not-found', 'ORDER.NOT_FOUND', 404],
  ['order', 'conflict', 'ORDER.ALREADY_CONFIRMED', 409],
  ['order', 'conflict', 'ORDER.ALREADY_EXISTS', 409],
  ['inventory', 'invalid', 'PRODUCT.INVALID', 422],
  ['payment', 'invalid', 'ACCOUNT.INVALID', 422],
] as const;
const BUGS = [
  ['order', 'ORDER.INVARIANT'],
  ['inventory', 'RESERVATION.INVARIANT'],
  ['payment', 'PAYMENT.INVARIANT'],
] as const;

function appThrowing(error: unknown) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const boom = endpoint({ operationId: 'boom', method: 'get', path: '/boom', tag: 'test', summary: 'fails', responses: {} });
  const fail = () => {
    throw error;
  };
  return { app: createHttpApp({ logger, metrics: createMetricsRegistry('test'), readiness: {}, routes: [route(boom, fail)] }), lines };
}

describe('problem details: one error policy for every service', () => {
  it.each(POLICY)(
    'when %s rejects with a %s rule (%s), then the client gets %i with that code and reason',
    async (_service, kind, code, status) => {
      const { app, lines } = appThrowing(violation(kind, code, `why ${code} was refused`));
      const res = await request(app).get('/boom');
      expect(res.status).toBe(status);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status, code, title: code, detail: `why ${code} was refused`, instance: '/boom' });
      expect(lines.filter((l) => l['level'] === 50)).toEqual([]);
    },
  );

  it.each(BUGS)(
    'when %s breaks an invariant (%s), then the client gets a generic 500 and the log has the detail',
    async (_service, code) => {
      const { app, lines } = appThrowing(violation('invariant', code, 'debit of 5 from customer-42 missed'));
      const res = await request(app).get('/boom');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'an unexpected error occurred' });
      expect(res.text).not.toContain(code);
      expect(res.text).not.toContain('customer-42');
      const logged = lines.find((l) => l['level'] === 50);
      expect(logged).toMatchObject({
        msg: 'request failed',
        path: '/boom',
        err: { code, kind: 'invariant', message: 'debit of 5 from customer-42 missed' },
      });
    },
  );

  it('when an error only looks like a rule violation (unknown kind), then it is a generic 500', async () => {
    const { app } = appThrowing(violation('teapot', 'ORDER.TEAPOT', 'internal text'));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('internal text');
  });

  it('when any other error escapes a route, then the client gets a generic 500 without its text', async () => {
    const { app, lines } = appThrowing(new Error('relation "orders" does not exist'));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL' });
    expect(res.text).not.toContain('orders');
    expect(lines.some((l) => l['level'] === 50)).toBe(true);
  });
});
