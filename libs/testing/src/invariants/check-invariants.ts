import { checkAgreement } from './agreement.check';
import { checkDelivery } from './delivery.check';
import { checkMoney } from './money.check';
import { checkRolledBack } from './rolled-back.check';
import type { SystemSnapshot } from './snapshot';
import { checkStock } from './stock.check';
import { checkTermination } from './termination.check';
import type { InvariantKey, Violation } from './violation';

/** Every invariant of docs/architecture.md §5 over one run's snapshot; an empty list means the run is correct. */
export function checkInvariants(snapshot: SystemSnapshot): Violation[] {
  return [
    ...checkTermination(snapshot),
    ...checkStock(snapshot),
    ...checkMoney(snapshot),
    ...checkAgreement(snapshot),
    ...checkDelivery(snapshot),
    ...checkRolledBack(snapshot),
  ];
}

/** Violation counts per invariant, every invariant present (0 when it held). */
export function countByInvariant(violations: readonly Violation[]): Record<InvariantKey, number> {
  const counts: Record<InvariantKey, number> = { termination: 0, stock: 0, money: 0, agreement: 0, lostEvent: 0, rolledBack: 0 };
  for (const v of violations) counts[v.invariant]++;
  return counts;
}
