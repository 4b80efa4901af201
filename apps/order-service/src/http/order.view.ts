import type { z } from 'zod';
import { orderTimeline, type OrderState } from '@choreo/order-domain';
import type { orderResponse } from './orders.endpoints';

/** The public shape of an order (docs/architecture.md §6); a stable contract for clients, typed by its OpenAPI schema. */
export function orderView(state: Exclude<OrderState, { status: 'NONE' }>): z.input<typeof orderResponse> {
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    items: [...state.items],
    totalCents: state.totalCents,
    ...(state.status === 'CANCELLED' ? { cancellationReason: state.cancellationReason } : {}),
    timeline: orderTimeline(state),
  };
}
