import { initialPaymentState, type PaymentState } from '@choreo/payment-domain';
import type { PoolClient } from 'pg';

export type StoredPayment = Exclude<PaymentState, { status: 'NONE' }>;

/** Loads a payment for a decision; the row lock queues concurrent deciders on the same order. */
export async function loadPaymentForUpdate(tx: PoolClient, orderId: string): Promise<PaymentState> {
  const { rows } = await tx.query<{ state: StoredPayment }>({
    name: 'payment.load-payment-for-update',
    text: 'SELECT state FROM payments WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialPaymentState;
}

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
  const charge = 'customerId' in state ? state : undefined;
  await tx.query({
    name: 'payment.save-payment',
    text: `INSERT INTO payments (order_id, customer_id, status, amount_cents, state) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
       amount_cents = EXCLUDED.amount_cents, state = EXCLUDED.state, updated_at = now()`,
    values: [state.orderId, charge?.customerId ?? null, state.status, charge?.amountCents ?? null, JSON.stringify(state)],
  });
}
