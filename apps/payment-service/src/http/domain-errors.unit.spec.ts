import { describe, expect, it } from 'vitest';
import { DomainRuleViolation } from '@choreo/domain-kernel';
import { mapDomainError } from './domain-errors';

describe('mapDomainError', () => {
  it('when an account input breaks a rule, then the client gets 422 with the stable code and reason', () => {
    const error = mapDomainError(new DomainRuleViolation('ACCOUNT.INVALID', 'balanceCents must be whole cents >= 0'));
    expect(error).toMatchObject({ status: 422, code: 'ACCOUNT.INVALID', message: 'balanceCents must be whole cents >= 0' });
  });

  it('when a payment invariant breaks, then it is a 500 that does not leak the internal detail', () => {
    const error = mapDomainError(new DomainRuleViolation('PAYMENT.INVARIANT', 'debit of 5 from c-1 missed'));
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(error?.message).not.toContain('c-1');
  });

  it('when the error is not a domain rule violation, then it is left to the platform', () => {
    expect(mapDomainError(new Error('boom'))).toBeUndefined();
  });
});
