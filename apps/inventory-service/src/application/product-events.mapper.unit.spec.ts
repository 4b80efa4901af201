import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, encodePayload } from '@choreo/contracts';
import { toOutgoing } from './product-events.mapper';

describe('toOutgoing (product)', () => {
  it('when a product is upserted, then the catalog event is keyed by sku and carries no stock level', () => {
    const outgoing = toOutgoing({ type: 'ProductUpserted', sku: 's-1', name: 'Widget', priceCents: 250 });
    expect(outgoing).toEqual({
      type: 'ProductUpserted',
      aggregateId: 's-1',
      sagaId: 's-1',
      payload: { sku: 's-1', name: 'Widget', priceCents: 250 },
    });
    expect(EVENT_CATALOG[outgoing.type].aggregateType).toBe('product');
    expect(encodePayload(outgoing.type, outgoing.payload).payload).toEqual(outgoing.payload);
  });
});
