import type { OrderPublishedEvent } from '@choreo/order-domain';
import type { OutgoingEvent } from '@choreo/outbox';

/** Domain events are not contracts: this is the one place order events become order.events payloads. */
export function toOutgoing(event: OrderPublishedEvent): OutgoingEvent {
  const ids = { aggregateId: event.orderId, sagaId: event.orderId };
  switch (event.type) {
    case 'OrderPlaced': {
      const { orderId, customerId, items, totalCents } = event;
      return { ...ids, type: 'OrderPlaced', payload: { orderId, customerId, items: [...items], totalCents } };
    }
    case 'OrderConfirmed':
      return { ...ids, type: 'OrderConfirmed', payload: { orderId: event.orderId } };
    case 'OrderCancelled':
      return { ...ids, type: 'OrderCancelled', payload: { orderId: event.orderId, reason: event.reason } };
  }
}
