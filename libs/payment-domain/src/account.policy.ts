import { assertNever, DomainRuleViolation } from '@choreo/domain-kernel';
import type { PaymentEvent } from './payment.decider';

export interface Account {
  readonly customerId: string;
  readonly balanceCents: number;
}

export type LedgerKind = 'FUNDING' | 'CHARGE' | 'REFUND';

/** One signed movement of a customer's balance; the ledger makes "at most one charge" auditable. */
export interface LedgerEntry {
  readonly customerId: string;
  readonly kind: LedgerKind;
  readonly amountCents: number;
  readonly orderId?: string;
}

/**
 * Admin PUT /accounts/:customerId. Returns the account and the FUNDING entry that explains the
 * change, so balance = sum of ledger entries always holds (null when nothing changed).
 */
export function setBalance(
  current: Account | undefined,
  input: Account,
): { readonly account: Account; readonly entry: LedgerEntry | null } {
  const { customerId, balanceCents } = input;
  if (customerId === '') throw DomainRuleViolation.invalid('ACCOUNT.INVALID', 'customerId is required');
  if (!Number.isSafeInteger(balanceCents) || balanceCents < 0) {
    throw DomainRuleViolation.invalid('ACCOUNT.INVALID', 'balanceCents must be whole cents >= 0');
  }
  const delta = balanceCents - (current?.balanceCents ?? 0);
  return { account: { customerId, balanceCents }, entry: delta === 0 ? null : { customerId, kind: 'FUNDING', amountCents: delta } };
}

/**
 * The balance movement a payment event implies. Authorization debits (the service's
 * `UPDATE … SET balance = balance - $1 WHERE balance >= $1`), a refund credits, capture only
 * keeps what was already debited.
 */
export function ledgerEntryFor(customerId: string, event: PaymentEvent): LedgerEntry | null {
  switch (event.type) {
    case 'PaymentAuthorized':
      return { customerId, kind: 'CHARGE', amountCents: -event.amountCents, orderId: event.orderId };
    case 'PaymentRefunded':
      return { customerId, kind: 'REFUND', amountCents: event.amountCents, orderId: event.orderId };
    case 'PaymentDeclined':
    case 'PaymentCaptured':
    case 'OrderRecorded':
    case 'CancellationRecorded':
      return null;
    default:
      return assertNever(event);
  }
}
