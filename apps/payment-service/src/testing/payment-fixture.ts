import { withTransaction, type Pool } from '@choreo/platform';
import type { PoolClient } from 'pg';
import { setAccountBalance } from '../application/account.use-cases';
import { decideInventoryReserved, decidePayment } from '../application/payment.use-cases';
import { findAccount } from '../persistence/account.repository';
import { findPayment } from '../persistence/payment.repository';

export interface LedgerRow {
  readonly customerId: string;
  readonly kind: string;
  readonly amountCents: number;
  readonly orderId: string | null;
}

/** Drives the payment use cases the way the consumers do (one transaction each) and reads back what they stored. */
export function paymentFixture(pool: Pool) {
  const inTx = <T>(work: (tx: PoolClient) => Promise<T>) => withTransaction(pool, work);
  return {
    fund: (customerId: string, balanceCents: number) => setAccountBalance(pool, { customerId, balanceCents }),
    placed: (orderId: string, customerId: string, totalCents: number) =>
      inTx((tx) => decidePayment(tx, { type: 'OrderPlaced', orderId, customerId, totalCents })),
    reserved: (orderId: string) => inTx((tx) => decideInventoryReserved(tx, orderId)),
    confirmed: (orderId: string) => inTx((tx) => decidePayment(tx, { type: 'OrderConfirmed', orderId })),
    cancelled: (orderId: string) => inTx((tx) => decidePayment(tx, { type: 'OrderCancelled', orderId })),
    balance: async (customerId: string) => (await findAccount(pool, customerId))?.balanceCents,
    payment: (orderId: string) => findPayment(pool, orderId),
    async ledger(where: { orderId?: string; customerId?: string }): Promise<LedgerRow[]> {
      const { rows } = await pool.query<{ customer_id: string; kind: string; amount_cents: string; order_id: string | null }>(
        `SELECT customer_id, kind, amount_cents, order_id FROM ledger
         WHERE ($1::text IS NULL OR order_id = $1) AND ($2::text IS NULL OR customer_id = $2) ORDER BY id`,
        [where.orderId ?? null, where.customerId ?? null],
      );
      return rows.map((r) => ({ customerId: r.customer_id, kind: r.kind, amountCents: Number(r.amount_cents), orderId: r.order_id }));
    },
    async outbox(orderId: string) {
      const { rows } = await pool.query<{ type: string; payload: unknown; aggregatetype: string; aggregate_seq: string; saga_id: string }>(
        'SELECT type, payload, aggregatetype, aggregate_seq, saga_id FROM outbox WHERE aggregateid = $1 ORDER BY aggregate_seq',
        [orderId],
      );
      return rows.map((r) => ({
        type: r.type,
        payload: r.payload,
        aggregateType: r.aggregatetype,
        seq: Number(r.aggregate_seq),
        sagaId: r.saga_id,
      }));
    },
  };
}
