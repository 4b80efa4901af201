import type { StoredPayment } from '../persistence/payment.repository';

/** The statuses GET /payments/:orderId exposes (docs/architecture.md §6); the rest are internal bookkeeping. */
const PUBLIC_STATUSES = ['AUTHORIZED', 'DECLINED', 'CAPTURED', 'REFUNDED'] as const;
type PublicPayment = Extract<StoredPayment, { status: (typeof PUBLIC_STATUSES)[number] }>;

export const isPublicPayment = (payment: StoredPayment | undefined): payment is PublicPayment =>
  payment !== undefined && (PUBLIC_STATUSES as readonly string[]).includes(payment.status);

export const paymentView = (payment: PublicPayment) => ({
  orderId: payment.orderId,
  status: payment.status,
  amountCents: payment.amountCents,
});
