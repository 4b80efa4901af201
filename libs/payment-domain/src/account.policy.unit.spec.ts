import { describe, expect, it } from 'vitest';
import { DomainRuleViolation } from '@choreo/domain-kernel';
import { ledgerEntryFor, setBalance } from './index';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainRuleViolation ? error.code : String(error);
  }
  return 'no error';
};

describe('setBalance', () => {
  it('when a new account is funded, then the FUNDING entry equals the balance', () => {
    expect(setBalance(undefined, { customerId: 'c-1', balanceCents: 1_000 })).toEqual({
      account: { customerId: 'c-1', balanceCents: 1_000 },
      entry: { customerId: 'c-1', kind: 'FUNDING', amountCents: 1_000 },
    });
  });

  it('when the balance is lowered, then the FUNDING entry is negative', () => {
    const { entry } = setBalance({ customerId: 'c-1', balanceCents: 1_000 }, { customerId: 'c-1', balanceCents: 300 });
    expect(entry).toEqual({ customerId: 'c-1', kind: 'FUNDING', amountCents: -700 });
  });

  it('when the balance is unchanged, then there is no ledger entry', () => {
    expect(setBalance({ customerId: 'c-1', balanceCents: 5 }, { customerId: 'c-1', balanceCents: 5 }).entry).toBeNull();
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 2])('when the balance is %s, then it is refused as ACCOUNT.INVALID', (balanceCents) => {
    expect(codeOf(() => setBalance(undefined, { customerId: 'c-1', balanceCents }))).toBe('ACCOUNT.INVALID');
  });
});

describe('ledgerEntryFor', () => {
  it('when a payment is authorized, then the customer is debited once for the order', () => {
    expect(ledgerEntryFor('c-1', { type: 'PaymentAuthorized', orderId: 'o-1', customerId: 'c-1', amountCents: 500 })).toEqual({
      customerId: 'c-1',
      kind: 'CHARGE',
      amountCents: -500,
      orderId: 'o-1',
    });
  });

  it('when a payment is refunded, then the customer is credited back', () => {
    expect(ledgerEntryFor('c-1', { type: 'PaymentRefunded', orderId: 'o-1', amountCents: 500 })).toEqual({
      customerId: 'c-1',
      kind: 'REFUND',
      amountCents: 500,
      orderId: 'o-1',
    });
  });

  it('when a payment is captured or declined, then the balance does not move', () => {
    expect(ledgerEntryFor('c-1', { type: 'PaymentCaptured', orderId: 'o-1' })).toBeNull();
    expect(ledgerEntryFor('c-1', { type: 'PaymentDeclined', orderId: 'o-1', reason: 'INSUFFICIENT_FUNDS' })).toBeNull();
  });
});
