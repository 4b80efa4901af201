import type { LedgerEntry } from '@choreo/payment-domain';
import type { PoolClient } from 'pg';

/** Unique partial indexes make a second CHARGE or REFUND for one order fail the whole transaction. */
export async function appendLedgerEntry(tx: PoolClient, entry: LedgerEntry): Promise<void> {
  await tx.query({
    name: 'payment.append-ledger-entry',
    text: 'INSERT INTO ledger (customer_id, kind, amount_cents, order_id) VALUES ($1, $2, $3, $4)',
    values: [entry.customerId, entry.kind, entry.amountCents, entry.orderId ?? null],
  });
}
