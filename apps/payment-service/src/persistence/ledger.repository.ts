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

/** An order's payment row (any status, internal ones included) and its ledger movements, oldest first. */
export async function findPaymentHistory(db: Pick<PoolClient, 'query'>, orderId: string) {
  const [payments, ledger] = await Promise.all([
    db.query<{ status: string; customer_id: string | null; amount_cents: string | null; created_at: Date; updated_at: Date }>(
      'SELECT status, customer_id, amount_cents, created_at, updated_at FROM payments WHERE order_id = $1',
      [orderId],
    ),
    db.query<{ id: string; kind: string; customer_id: string; amount_cents: string; created_at: Date }>(
      'SELECT id, kind, customer_id, amount_cents, created_at FROM ledger WHERE order_id = $1 ORDER BY id',
      [orderId],
    ),
  ]);
  const p = payments.rows[0];
  return {
    payment: p && {
      status: p.status,
      customerId: p.customer_id,
      amountCents: p.amount_cents === null ? null : Number(p.amount_cents),
      createdAt: p.created_at.toISOString(),
      updatedAt: p.updated_at.toISOString(),
    },
    ledger: ledger.rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      customerId: r.customer_id,
      amountCents: Number(r.amount_cents),
      at: r.created_at.toISOString(),
    })),
  };
}
