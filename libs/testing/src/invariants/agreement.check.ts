import type { SystemSnapshot } from './snapshot';
import { Findings, groupBy, sum, type Violation } from './violation';

const RELEASED_STOCK = new Set(['REJECTED', 'RELEASED', 'CANCELLED_BEFORE_RESERVATION']);
const NO_MONEY_KEPT = new Set(['DECLINED', 'REFUNDED', 'CANCELLED_BEFORE_CHARGE']);

/**
 * Invariant 4 (docs/architecture.md §5): CONFIRMED ⇔ payment CAPTURED ⇔ reservation COMMITTED; CANCELLED ⇒ no stock held and no
 * money kept, and the reservation and payment tell the same story as the cancellation reason.
 */
export function checkAgreement(s: SystemSnapshot): Violation[] {
  const f = new Findings('agreement');
  const reservations = new Map(s.reservations.map((r) => [r.orderId, r]));
  const payments = new Map(s.payments.map((p) => [p.orderId, p]));
  const ledgerOf = groupBy(
    s.ledger.filter((e) => e.orderId !== null),
    (e) => e.orderId!,
  );
  const orders = new Map(s.orders.map((o) => [o.orderId, o]));

  for (const o of s.orders) {
    const subject = `order ${o.orderId}`;
    const res = reservations.get(o.orderId)?.status ?? 'none';
    const pay = payments.get(o.orderId);
    const payStatus = pay?.status ?? 'none';
    if (o.status === 'CONFIRMED') {
      f.expect(payStatus === 'CAPTURED', subject, () => `CONFIRMED but payment is ${payStatus}`);
      f.expect(res === 'COMMITTED', subject, () => `CONFIRMED but reservation is ${res}`);
      f.expect(
        pay?.amountCents == null || pay.amountCents === o.totalCents,
        subject,
        () => `CONFIRMED at ${o.totalCents} cents but the payment is for ${pay!.amountCents}`,
      );
    } else if (o.status === 'CANCELLED') {
      f.expect(RELEASED_STOCK.has(res), subject, () => `CANCELLED (${o.cancellationReason}) but reservation is ${res}: stock held`);
      f.expect(NO_MONEY_KEPT.has(payStatus), subject, () => `CANCELLED (${o.cancellationReason}) but payment is ${payStatus}`);
      const kept = -sum((ledgerOf.get(o.orderId) ?? []).map((e) => e.amountCents));
      f.expect(kept === 0, subject, () => `CANCELLED (${o.cancellationReason}) but ${kept} cents kept`);
      if (o.cancellationReason === 'OUT_OF_STOCK') {
        f.expect(res === 'REJECTED', subject, () => `cancelled OUT_OF_STOCK but reservation is ${res}`);
      }
      if (o.cancellationReason === 'PAYMENT_DECLINED') {
        f.expect(payStatus === 'DECLINED', subject, () => `cancelled PAYMENT_DECLINED but payment is ${payStatus}`);
      }
    }
  }
  for (const p of s.payments) {
    const status = orders.get(p.orderId)?.status ?? 'unknown';
    if (p.status === 'CAPTURED') f.expect(status === 'CONFIRMED', `order ${p.orderId}`, () => `payment CAPTURED but order is ${status}`);
  }
  for (const r of s.reservations) {
    const status = orders.get(r.orderId)?.status ?? 'unknown';
    if (r.status === 'COMMITTED')
      f.expect(status === 'CONFIRMED', `order ${r.orderId}`, () => `reservation COMMITTED but order is ${status}`);
  }
  return f.list;
}
