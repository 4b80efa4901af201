import { initialPaymentState, type PaymentState } from '@choreo/payment-domain';
import { jsonLiteral, knownRow, lockAndHold, writeAtCommit, type CommitUpsert, type PoolClient } from '@choreo/platform';

export type StoredPayment = Exclude<PaymentState, { status: 'NONE' }>;

/** Payments saved in a transaction, upserted with its COMMIT (one statement for all of them). */
const PAYMENT_SAVE: CommitUpsert<StoredPayment> = {
  key: (state) => state.orderId,
  sql: (states) => `INSERT INTO payments (order_id, customer_id, status, amount_cents, state)
     SELECT s->>'orderId', s->>'customerId', s->>'status', (s->>'amountCents')::bigint, s
       FROM jsonb_array_elements(${jsonLiteral(states)}) AS s
     ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
       amount_cents = EXCLUDED.amount_cents, state = EXCLUDED.state, updated_at = now()`,
};

/**
 * Loads a payment for a decision; the row lock queues concurrent deciders on the same order.
 * A payment this transaction saved already is read back from the save (the table has it from the COMMIT on).
 */
export async function loadPaymentForUpdate(tx: PoolClient, orderId: string): Promise<PaymentState> {
  const known = knownRow(tx, PAYMENT_SAVE, orderId);
  if (known !== undefined) return known ?? initialPaymentState;
  const { rows } = await tx.query<{ state: StoredPayment }>({
    name: 'payment.load-payment-for-update',
    text: 'SELECT state FROM payments WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialPaymentState;
}

/**
 * Locks and reads the payments of a consumer batch in one round trip, in key order, before its
 * handlers run: their loads then read them from the transaction (`knownRow`), absent ones too.
 */
export const lockPayments = (tx: PoolClient, orderIds: readonly string[]): Promise<void> =>
  lockAndHold(
    tx,
    PAYMENT_SAVE,
    { name: 'payment.lock-payments', text: 'SELECT state FROM payments WHERE order_id = ANY($1) ORDER BY order_id FOR UPDATE' },
    orderIds,
  );

export async function findPayment(db: Pick<PoolClient, 'query'>, orderId: string): Promise<StoredPayment | undefined> {
  const { rows } = await db.query<{ state: StoredPayment }>({
    name: 'payment.find-payment',
    text: 'SELECT state FROM payments WHERE order_id = $1',
    values: [orderId],
  });
  return rows[0]?.state;
}

export async function savePayment(tx: PoolClient, state: PaymentState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save a payment that does not exist');
  if (!writeAtCommit(tx, PAYMENT_SAVE, [state])) await tx.query(PAYMENT_SAVE.sql([state]));
}
