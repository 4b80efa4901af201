import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, createLogger, createMetricsRegistry } from '@choreo/platform';
import type { Express } from 'express';
import { createTempDatabase, type TempDatabase } from '../testing/temp-database';
import { paymentFixture } from '../testing/payment-fixture';
import { paymentRoutes } from './payment.routes';

const TOKEN = 'test-admin-token';
const admin = { Authorization: `Bearer ${TOKEN}` };
let db: TempDatabase;
let app: Express;
let f: ReturnType<typeof paymentFixture>;

beforeAll(async () => {
  db = await createTempDatabase();
  f = paymentFixture(db.pool);
  const logger = createLogger('payment-http-test', 'silent');
  const routes = paymentRoutes({ pool: db.pool, adminToken: TOKEN });
  app = createHttpApp({ logger, metrics: createMetricsRegistry('payment-http-test'), readiness: {}, routes });
});
afterAll(async () => db?.drop());

const problem = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
};

describe('PUT /accounts/:customerId', () => {
  it('when an admin sets a balance, then it answers 200 with the account and GET returns it', async () => {
    const id = `c-${randomUUID()}`;
    const put = await request(app).put(`/accounts/${id}`).set(admin).send({ balanceCents: 12_345 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ customerId: id, balanceCents: 12_345 });
    const get = await request(app).get(`/accounts/${id}`);
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ customerId: id, balanceCents: 12_345 });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer wrong-token-value' }],
  ])('when the request has %s, then it is 401 and nothing is stored', async (_name, headers) => {
    const id = `c-${randomUUID()}`;
    problem(await request(app).put(`/accounts/${id}`).set(headers).send({ balanceCents: 1 }), 401, 'AUTH.ADMIN_TOKEN_REQUIRED');
    expect(await f.balance(id)).toBeUndefined();
  });

  it.each([
    ['negative', { balanceCents: -1 }],
    ['fractional', { balanceCents: 1.5 }],
    ['a string', { balanceCents: '100' }],
    ['beyond safe integers', { balanceCents: 2 ** 53 }],
    ['missing', {}],
    ['with an unknown field', { balanceCents: 1, bonus: 5 }],
  ])('when balanceCents is %s, then it is 400 REQUEST.INVALID and nothing is stored', async (_name, body) => {
    const id = `c-${randomUUID()}`;
    problem(await request(app).put(`/accounts/${id}`).set(admin).send(body), 400, 'REQUEST.INVALID');
    expect(await f.balance(id)).toBeUndefined();
  });

  it('when the body is too large, then it is 413 problem details', async () => {
    const res = await request(app)
      .put(`/accounts/c-${randomUUID()}`)
      .set(admin)
      .set('Content-Type', 'application/json')
      .send(`{"balanceCents":1,"pad":"${'x'.repeat(100_000)}"}`);
    problem(res, 413, 'REQUEST.TOO_LARGE');
  });
});

describe('GET /accounts/:customerId', () => {
  it('when the account does not exist, then it is 404 ACCOUNT.NOT_FOUND', async () => {
    problem(await request(app).get(`/accounts/c-${randomUUID()}`), 404, 'ACCOUNT.NOT_FOUND');
  });
});

describe('GET /payments/:orderId', () => {
  it('when the order was charged, then it shows AUTHORIZED with the amount, and REFUNDED after cancellation', async () => {
    const [orderId, customerId] = [`o-${randomUUID()}`, `c-${randomUUID()}`];
    await f.fund(customerId, 1_000);
    await f.placed(orderId, customerId, 700);
    await f.reserved(orderId);
    expect((await request(app).get(`/payments/${orderId}`)).body).toEqual({ orderId, status: 'AUTHORIZED', amountCents: 700 });
    await f.cancelled(orderId);
    expect((await request(app).get(`/payments/${orderId}`)).body).toEqual({ orderId, status: 'REFUNDED', amountCents: 700 });
  });

  it('when the payment is declined, then it shows DECLINED', async () => {
    const orderId = `o-${randomUUID()}`;
    await f.placed(orderId, `c-${randomUUID()}`, 700);
    await f.reserved(orderId);
    const res = await request(app).get(`/payments/${orderId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orderId, status: 'DECLINED', amountCents: 700 });
  });

  it('when the payment is only awaiting its reservation, cancelled before any charge, or unknown, then it is 404 PAYMENT.NOT_FOUND', async () => {
    const [awaiting, cancelledEarly] = [`o-${randomUUID()}`, `o-${randomUUID()}`];
    await f.placed(awaiting, `c-${randomUUID()}`, 700);
    await f.cancelled(cancelledEarly);
    for (const id of [awaiting, cancelledEarly, `o-${randomUUID()}`]) {
      problem(await request(app).get(`/payments/${id}`), 404, 'PAYMENT.NOT_FOUND');
    }
  });
});
