import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, encodePayload } from '@choreo/contracts';
import type { ReservationPublishedEvent } from '@choreo/inventory-domain';
import { toOutgoing } from './reservation-events.mapper';

const reservationCases: ReadonlyArray<readonly [ReservationPublishedEvent, unknown]> = [
  [
    { type: 'InventoryReserved', orderId: 'o-1', items: [{ sku: 's-1', quantity: 2 }] },
    { orderId: 'o-1', items: [{ sku: 's-1', quantity: 2 }] },
  ],
  [
    { type: 'InventoryRejected', orderId: 'o-1', shortages: [{ sku: 's-1', requested: 2, available: 1 }] },
    { orderId: 'o-1', shortages: [{ sku: 's-1', requested: 2, available: 1 }] },
  ],
  [{ type: 'InventoryReleased', orderId: 'o-1' }, { orderId: 'o-1' }],
  [{ type: 'InventoryCommitted', orderId: 'o-1' }, { orderId: 'o-1' }],
];

describe('toOutgoing (reservation)', () => {
  it.each(reservationCases)('when the domain emits %j, then the outbox gets exactly the contract payload', (event, payload) => {
    const outgoing = toOutgoing(event);
    expect(outgoing).toEqual({ type: event.type, aggregateId: 'o-1', sagaId: 'o-1', payload });
    expect(EVENT_CATALOG[outgoing.type].aggregateType).toBe('reservation');
    expect(encodePayload(outgoing.type, outgoing.payload).payload).toEqual(payload);
  });
});
