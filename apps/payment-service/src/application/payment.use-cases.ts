import { DomainRuleViolation } from '@choreo/domain-kernel';
import {
  customerToCharge,
  ledgerEntryFor,
  paymentDecider,
  type PaymentEvent,
  type PaymentInput,
  type PaymentPublishedEvent,
  type PaymentState,
} from '@choreo/payment-domain';
import { decideAndStore, type AggregateStore, type DecideOptions } from '@choreo/service-host';
import type { PoolClient } from 'pg';
import { credit, debit, lockAccount } from '../persistence/account.repository';
import { appendLedgerEntry } from '../persistence/ledger.repository';
import { loadPaymentForUpdate, savePayment } from '../persistence/payment.repository';
import { toOutgoing } from './payment-events.mapper';

const payments: AggregateStore<PaymentInput, PaymentInput, PaymentState, PaymentEvent, PaymentPublishedEvent> = {
  decider: paymentDecider,
  load: async (tx, input) => ({ state: await loadPaymentForUpdate(tx, input.orderId), input }),
  /** Money moves with the ledger entry each event implies, then the state row. Lock order: payment, then account. */
  save: async (tx, { state, events }) => {
    for (const event of events) await moveMoney(tx, state, event);
    await savePayment(tx, state);
  },
  toOutgoing,
};

/** The one way payment state and money change: one transaction, the caller's. */
export const decidePayment = (tx: PoolClient, input: PaymentInput, opts?: DecideOptions) => decideAndStore(tx, payments, input, opts);

/**
 * InventoryReserved: the decision needs the balance of the customer to charge, read under the
 * account's row lock (no account: balance 0), taken after the payment's lock, in the same load.
 */
const paymentsOnReservation: AggregateStore<string, PaymentInput, PaymentState, PaymentEvent, PaymentPublishedEvent> = {
  ...payments,
  load: async (tx, orderId) => {
    const state = await loadPaymentForUpdate(tx, orderId);
    const customerId = customerToCharge(state);
    const balanceCents = customerId === undefined ? 0 : ((await lockAccount(tx, customerId))?.balanceCents ?? 0);
    return { state, input: { type: 'InventoryReserved', orderId, balanceCents } };
  },
};

export const decideInventoryReserved = (tx: PoolClient, orderId: string, opts?: DecideOptions) =>
  decideAndStore(tx, paymentsOnReservation, orderId, opts);

/** The balance movement is whatever ledger entry the domain says the event implies: entry and balance never disagree. */
async function moveMoney(tx: PoolClient, state: PaymentState, event: PaymentEvent): Promise<void> {
  const entry = ledgerEntryFor('customerId' in state ? state.customerId : '', event);
  if (!entry) return;
  if (entry.customerId === '')
    throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `${event.type} without a customer (${state.status})`);
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
