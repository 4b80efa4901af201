import type { PaymentPublishedEvent } from '@choreo/payment-domain';
import type { OutgoingEvent } from '@choreo/outbox';

/** Domain events are not contracts: this is the one place payment events become payment.events payloads. */
export function toOutgoing(event: PaymentPublishedEvent): OutgoingEvent {
  const ids = { aggregateId: event.orderId, sagaId: event.orderId };
  switch (event.type) {
    case 'PaymentAuthorized': {
      const { orderId, customerId, amountCents } = event;
      return { ...ids, type: 'PaymentAuthorized', payload: { orderId, customerId, amountCents } };
    }
    case 'PaymentDeclined':
      return { ...ids, type: 'PaymentDeclined', payload: { orderId: event.orderId, reason: event.reason } };
    case 'PaymentRefunded':
      return { ...ids, type: 'PaymentRefunded', payload: { orderId: event.orderId, amountCents: event.amountCents } };
    case 'PaymentCaptured':
      return { ...ids, type: 'PaymentCaptured', payload: { orderId: event.orderId } };
  }
}
