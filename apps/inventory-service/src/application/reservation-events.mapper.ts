import type { ReservationPublishedEvent } from '@choreo/inventory-domain';
import type { OutgoingEvent } from '@choreo/outbox';

/** Domain events are not contracts: this is the one place reservation events become reservation.events payloads. */
export function toOutgoing(event: ReservationPublishedEvent): OutgoingEvent {
  const ids = { aggregateId: event.orderId, sagaId: event.orderId };
  switch (event.type) {
    case 'InventoryReserved':
      return { ...ids, type: 'InventoryReserved', payload: { orderId: event.orderId, items: [...event.items] } };
    case 'InventoryRejected':
      return { ...ids, type: 'InventoryRejected', payload: { orderId: event.orderId, shortages: [...event.shortages] } };
    case 'InventoryReleased':
      return { ...ids, type: 'InventoryReleased', payload: { orderId: event.orderId } };
    case 'InventoryCommitted':
      return { ...ids, type: 'InventoryCommitted', payload: { orderId: event.orderId } };
  }
}
