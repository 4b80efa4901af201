import { DomainRuleViolation, execute, type Execution } from '@choreo/domain-kernel';
import { appendToOutbox, type Causation } from '@choreo/outbox';
import {
  customerToCharge,
  ledgerEntryFor,
  paymentDecider,
  type PaymentEvent,
  type PaymentInput,
  type PaymentPublishedEvent,
  type PaymentState,
} from '@choreo/payment-domain';
import type { PoolClient } from 'pg';
import { credit, debit, lockAccount } from '../persistence/account.repository';
import { appendLedgerEntry } from '../persistence/ledger.repository';
import { loadPaymentForUpdate, savePayment } from '../persistence/payment.repository';
import { toOutgoing } from './payment-events.mapper';

export type PaymentOutcome = Execution<PaymentState, PaymentEvent, PaymentPublishedEvent>;

export interface DecideOptions {
  readonly causation?: Causation;
  readonly now?: Date;
}

/**
 * The one way payment state and money change: lock, decide, move money + ledger, save, append
 * to the outbox — all in the caller's transaction. Lock order is always payment, then account.
 */
export async function decidePayment(tx: PoolClient, input: PaymentInput, opts: DecideOptions = {}): Promise<PaymentOutcome> {
  const now = opts.now ?? new Date();
  const state = await loadPaymentForUpdate(tx, input.orderId);
  const outcome = execute(paymentDecider, state, input, { now });
  if (outcome.kind !== 'apply') return outcome;
  for (const event of outcome.events) await moveMoney(tx, outcome.state, event);
  await savePayment(tx, outcome.state);
  await appendToOutbox(tx, outcome.published.map(toOutgoing), opts.causation, now);
  return outcome;
}

/**
 * InventoryReserved: the decision needs the balance of the customer to charge, read under the
 * account's row lock (no account: balance 0), taken after the payment's lock.
 */
export async function decideInventoryReserved(tx: PoolClient, orderId: string, opts: DecideOptions = {}): Promise<PaymentOutcome> {
  const customerId = customerToCharge(await loadPaymentForUpdate(tx, orderId));
  const balanceCents = customerId === undefined ? 0 : ((await lockAccount(tx, customerId))?.balanceCents ?? 0);
  return decidePayment(tx, { type: 'InventoryReserved', orderId, balanceCents }, opts);
}

/** The balance movement is whatever ledger entry the domain says the event implies: entry and balance never disagree. */
async function moveMoney(tx: PoolClient, state: PaymentState, event: PaymentEvent): Promise<void> {
  const entry = ledgerEntryFor('customerId' in state ? state.customerId : '', event);
  if (!entry) return;
  if (entry.customerId === '') throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `${event.type} without a customer (${state.status})`);
  switch (entry.kind) {
    case 'CHARGE':
      await debit(tx, entry.customerId, -entry.amountCents);
      break;
    case 'REFUND':
      await credit(tx, entry.customerId, entry.amountCents);
      break;
    case 'FUNDING':
      throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `a payment event never funds an account (${event.type})`);
  }
  await appendLedgerEntry(tx, entry);
}
