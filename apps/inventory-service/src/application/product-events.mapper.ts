import type { ProductPublishedEvent } from '@choreo/inventory-domain';
import type { OutgoingEvent } from '@choreo/outbox';

/** Domain events are not contracts: this is the one place product events become product.events payloads. */
export function toOutgoing(event: ProductPublishedEvent): OutgoingEvent {
  const { sku, name, priceCents } = event;
  return { type: 'ProductUpserted', aggregateId: sku, sagaId: sku, payload: { sku, name, priceCents } };
}
