import type { SystemSnapshot } from './snapshot';
import { Findings, type Violation } from './violation';

const TERMINAL = new Set(['CONFIRMED', 'CANCELLED']);

/**
 * Invariant 1 (docs/architecture.md §5): every order is CONFIRMED or CANCELLED, nothing is left parked, no consumer group lags,
 * and every request the client made got an answer once the faults healed.
 */
export function checkTermination(s: SystemSnapshot): Violation[] {
  const f = new Findings('termination');
  for (const order of s.orders) {
    f.expect(TERMINAL.has(order.status), `order ${order.orderId}`, () => `saga did not terminate: still ${order.status}`);
  }
  for (const p of s.parked) {
    f.add(`event ${p.eventId}`, `still parked by ${p.consumer} for saga ${p.sagaId}: ${p.reason}`);
  }
  for (const l of s.lag) {
    f.expect(l.lag <= 0, `group ${l.group}`, () => `${l.lag} record(s) not consumed on ${l.topic}[${l.partition}]`);
  }
  f.expect(s.client.unresolved === 0, 'client', () => `${s.client.unresolved} POST /orders never got an answer after the faults healed`);
  return f.list;
}
