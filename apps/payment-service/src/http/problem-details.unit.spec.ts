import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DomainRuleViolation } from '@choreo/domain-kernel';
import { setBalance } from '@choreo/payment-domain';
import { createHttpApp, createLogger, createMetricsRegistry, endpoint, route } from '@choreo/platform';

/** The real kernel error, thrown by real domain code, goes through the platform's one policy. */
function appThrowing(fail: () => unknown) {
  const logger = createLogger('payment-problem-test', 'silent');
  const boom = endpoint({ operationId: 'boom', method: 'get', path: '/boom', tag: 'test', summary: 'fails', responses: {} });
  return createHttpApp({ logger, metrics: createMetricsRegistry('payment-problem-test'), readiness: {}, routes: [route(boom, fail)] });
}

describe('payment-service errors', () => {
  it('when the payment domain refuses an account input, then the client gets 422 ACCOUNT.INVALID with the reason', async () => {
    const res = await request(appThrowing(() => setBalance(undefined, { customerId: 'c-1', balanceCents: -1 }))).get('/boom');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'ACCOUNT.INVALID', detail: 'balanceCents must be whole cents >= 0' });
  });

  it('when a payment invariant breaks, then it is a 500 that does not leak the internal detail', async () => {
    const res = await request(
      appThrowing(() => {
        throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', 'debit of 5 from c-1 missed');
      }),
    ).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL' });
    expect(res.text).not.toContain('c-1');
  });
});
