import { orderTimeline, type OrderState } from '@choreo/order-domain';

/** The public shape of an order (docs/architecture.md §6); a stable contract for clients. */
export function orderView(state: Exclude<OrderState, { status: 'NONE' }>) {
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    items: state.items,
    totalCents: state.totalCents,
    ...(state.status === 'CANCELLED' ? { cancellationReason: state.cancellationReason } : {}),
    timeline: orderTimeline(state),
  };
}
