import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, encodePayload } from '@choreo/contracts';
import type { PaymentPublishedEvent } from '@choreo/payment-domain';
import { toOutgoing } from './payment-events.mapper';

const cases: ReadonlyArray<readonly [PaymentPublishedEvent, unknown]> = [
  [
    { type: 'PaymentAuthorized', orderId: 'o-1', customerId: 'c-1', amountCents: 2_500 },
    { orderId: 'o-1', customerId: 'c-1', amountCents: 2_500 },
  ],
  [
    { type: 'PaymentDeclined', orderId: 'o-1', reason: 'INSUFFICIENT_FUNDS' },
    { orderId: 'o-1', reason: 'INSUFFICIENT_FUNDS' },
  ],
  [
    { type: 'PaymentRefunded', orderId: 'o-1', amountCents: 2_500 },
    { orderId: 'o-1', amountCents: 2_500 },
  ],
  [{ type: 'PaymentCaptured', orderId: 'o-1' }, { orderId: 'o-1' }],
];

describe('toOutgoing', () => {
  it.each(cases)('when the domain emits %j, then the outbox gets exactly the contract payload', (event, payload) => {
    const outgoing = toOutgoing(event);
    expect(outgoing).toEqual({ type: event.type, aggregateId: 'o-1', sagaId: 'o-1', payload });
    expect(EVENT_CATALOG[outgoing.type].aggregateType).toBe('payment');
    // The contract's own validation (what appendToOutbox runs) accepts it unchanged: no field lost or added.
    expect(encodePayload(outgoing.type, outgoing.payload).payload).toEqual(payload);
  });

  it('when a domain event carries extra fields, then they do not leak into the payload', () => {
    const event = { type: 'PaymentCaptured', orderId: 'o-1', customerId: 'c-1' } as PaymentPublishedEvent;
    expect(toOutgoing(event).payload).toEqual({ orderId: 'o-1' });
  });
});
