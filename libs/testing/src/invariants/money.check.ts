import type { SystemSnapshot } from './snapshot';
import { Findings, groupBy, sum, type Violation } from './violation';

/**
 * Invariant 3 (docs/architecture.md §5), per customer the run funded: balance = funded − captured (and the ledger explains every
 * cent of it); per order: at most one charge, no refund without a charge of the same amount.
 */
export function checkMoney(s: SystemSnapshot): Violation[] {
  const f = new Findings('money');
  const accounts = new Map(s.accounts.map((a) => [a.customerId, a.balanceCents]));
  const ledgerOf = groupBy(s.ledger, (e) => e.customerId);
  for (const [customerId, funded] of Object.entries(s.client.funding)) {
    const subject = `customer ${customerId}`;
    const balance = accounts.get(customerId);
    if (!f.expect(balance !== undefined, subject, () => 'account missing from the payment database')) continue;
    const entries = ledgerOf.get(customerId) ?? [];
    const ledgerSum = sum(entries.map((e) => e.amountCents));
    f.expect(ledgerSum === balance, subject, () => `balance ${balance} but the ledger sums to ${ledgerSum}`);
    const fundedInLedger = sum(entries.filter((e) => e.kind === 'FUNDING').map((e) => e.amountCents));
    f.expect(fundedInLedger === funded, subject, () => `ledger FUNDING ${fundedInLedger}, but the client funded ${funded}`);
    const captured = sum(s.payments.filter((p) => p.customerId === customerId && p.status === 'CAPTURED').map((p) => p.amountCents ?? 0));
    f.expect(balance === funded - captured, subject, () => `balance ${balance} ≠ funded ${funded} − captured ${captured}`);
    const confirmed = sum(s.orders.filter((o) => o.customerId === customerId && o.status === 'CONFIRMED').map((o) => o.totalCents));
    f.expect(balance === funded - confirmed, subject, () => `balance ${balance} ≠ funded ${funded} − CONFIRMED order totals ${confirmed}`);
  }
  const payments = new Map(s.payments.map((p) => [p.orderId, p]));
  for (const [orderId, entries] of groupBy(
    s.ledger.filter((e) => e.orderId !== null),
    (e) => e.orderId!,
  )) {
    const subject = `order ${orderId}`;
    const charges = entries.filter((e) => e.kind === 'CHARGE');
    const refunds = entries.filter((e) => e.kind === 'REFUND');
    f.expect(charges.length <= 1, subject, () => `charged ${charges.length} times (${charges.map((c) => c.amountCents).join(', ')})`);
    f.expect(refunds.length <= 1, subject, () => `refunded ${refunds.length} times`);
    f.expect(refunds.length === 0 || charges.length > 0, subject, () => 'refund without a charge');
    if (refunds.length === 1 && charges.length === 1) {
      f.expect(
        refunds[0]!.amountCents === -charges[0]!.amountCents,
        subject,
        () => `refunded ${refunds[0]!.amountCents}, charged ${-charges[0]!.amountCents}`,
      );
    }
    const payment = payments.get(orderId);
    if (charges.length === 1 && payment?.amountCents != null) {
      f.expect(
        -charges[0]!.amountCents === payment.amountCents,
        subject,
        () => `charged ${-charges[0]!.amountCents}, payment amount ${payment.amountCents}`,
      );
    }
  }
  return f.list;
}
