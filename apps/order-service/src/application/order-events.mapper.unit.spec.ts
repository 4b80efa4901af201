import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, encodePayload } from '@choreo/contracts';
import type { OrderPublishedEvent } from '@choreo/order-domain';
import { toOutgoing } from './order-events.mapper';

const at = '2026-01-01T00:00:00.000Z';
const items = [{ sku: 's-1', quantity: 2, unitPriceCents: 500 }];

const cases: ReadonlyArray<readonly [OrderPublishedEvent, unknown]> = [
  [
    { type: 'OrderPlaced', orderId: 'o-1', customerId: 'c-1', items, totalCents: 1_000, deadlineAt: at, at },
    { orderId: 'o-1', customerId: 'c-1', items, totalCents: 1_000 },
  ],
  [{ type: 'OrderConfirmed', orderId: 'o-1', at }, { orderId: 'o-1' }],
  [
    { type: 'OrderCancelled', orderId: 'o-1', reason: 'TIMEOUT', at },
    { orderId: 'o-1', reason: 'TIMEOUT' },
  ],
];

describe('toOutgoing (order)', () => {
  it.each(cases)('when the domain emits %j, then the outbox gets exactly the contract payload', (event, payload) => {
    const outgoing = toOutgoing(event);
    expect(outgoing).toEqual({ type: event.type, aggregateId: 'o-1', sagaId: 'o-1', payload });
    expect(EVENT_CATALOG[outgoing.type].aggregateType).toBe('order');
    // The contract's own validation (what appendToOutbox runs) accepts it unchanged: no field lost or added.
    expect(encodePayload(outgoing.type, outgoing.payload).payload).toEqual(payload);
  });
});
