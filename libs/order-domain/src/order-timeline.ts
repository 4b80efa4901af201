import type { CancellationReason, OrderState } from './order.decider';

export type TimelineStep = 'PLACED' | 'RESERVED' | 'PAID' | 'CONFIRMED' | 'CANCELLED';

export interface TimelineEntry {
  readonly step: TimelineStep;
  readonly at: string;
  readonly reason?: CancellationReason;
}

/** The saga as order-service saw it, oldest first, ready for GET /orders/:id. */
export function orderTimeline(state: OrderState): TimelineEntry[] {
  if (state.status === 'NONE') return [];
  const { placedAt, reservedAt, paidAt, confirmedAt, cancelledAt } = state.timeline;
  const entries: TimelineEntry[] = [{ step: 'PLACED', at: placedAt }];
  if (reservedAt) entries.push({ step: 'RESERVED', at: reservedAt });
  if (paidAt) entries.push({ step: 'PAID', at: paidAt });
  if (confirmedAt) entries.push({ step: 'CONFIRMED', at: confirmedAt });
  if (cancelledAt && state.status === 'CANCELLED') {
    entries.push({ step: 'CANCELLED', at: cancelledAt, reason: state.cancellationReason });
  }
  return entries;
}
