import { DomainRuleViolation } from '@choreo/domain-kernel';
import type { Account } from '@choreo/payment-domain';
import type { PoolClient } from 'pg';

type Db = Pick<PoolClient, 'query'>;

const toAccount = (row: { customer_id: string; balance_cents: string }): Account => ({
  customerId: row.customer_id,
  balanceCents: Number(row.balance_cents),
});

export async function findAccount(db: Db, customerId: string): Promise<Account | undefined> {
  const { rows } = await db.query<{ customer_id: string; balance_cents: string }>({
    name: 'payment.find-account',
    text: 'SELECT customer_id, balance_cents FROM accounts WHERE customer_id = $1',
    values: [customerId],
  });
  return rows[0] && toAccount(rows[0]);
}

/** Reads a balance under a row lock, so no debit or admin change slips in before we act on it. */
export async function lockAccount(tx: PoolClient, customerId: string): Promise<Account | undefined> {
  const { rows } = await tx.query<{ customer_id: string; balance_cents: string }>({
    name: 'payment.lock-account',
    text: 'SELECT customer_id, balance_cents FROM accounts WHERE customer_id = $1 FOR UPDATE',
    values: [customerId],
  });
  return rows[0] && toAccount(rows[0]);
}

/**
 * Creates the account at 0 if missing, then locks it. Two concurrent first fundings queue on the
 * primary key instead of both computing their FUNDING entry from "no account".
 */
export async function lockOrCreateAccount(tx: PoolClient, customerId: string): Promise<Account> {
  await tx.query({
    name: 'payment.lock-or-create-account',
    text: 'INSERT INTO accounts (customer_id, balance_cents) VALUES ($1, 0) ON CONFLICT (customer_id) DO NOTHING',
    values: [customerId],
  });
  return (await lockAccount(tx, customerId))!;
}

export async function saveBalance(tx: PoolClient, account: Account): Promise<void> {
  await tx.query({
    name: 'payment.save-balance',
    text: 'UPDATE accounts SET balance_cents = $2, updated_at = now() WHERE customer_id = $1',
    values: [account.customerId, account.balanceCents],
  });
}

/** The conditional debit: never below zero. A miss means the decision was taken on a stale balance — a bug. */
export async function debit(tx: PoolClient, customerId: string, amountCents: number): Promise<void> {
  if (amountCents === 0) return; // nothing moves, and a free order needs no account
  const { rowCount } = await tx.query({
    name: 'payment.debit',
    text: `UPDATE accounts SET balance_cents = balance_cents - $2, updated_at = now()
     WHERE customer_id = $1 AND balance_cents >= $2`,
    values: [customerId, amountCents],
  });
  if (rowCount !== 1) throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `debit of ${amountCents} from ${customerId} missed`);
}

export async function credit(tx: PoolClient, customerId: string, amountCents: number): Promise<void> {
  if (amountCents === 0) return;
  const { rowCount } = await tx.query({
    name: 'payment.credit',
    text: 'UPDATE accounts SET balance_cents = balance_cents + $2, updated_at = now() WHERE customer_id = $1',
    values: [customerId, amountCents],
  });
  if (rowCount !== 1) throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `credit of ${amountCents} to ${customerId}: no account`);
}
