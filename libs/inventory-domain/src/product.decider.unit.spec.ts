import { describe, it } from 'vitest';
import { decideFrom } from '@choreo/domain-kernel/testing';
import { productDecider, type ProductEvent, type ProductInput } from './index';

const spec = decideFrom(productDecider);
const upsert: ProductInput = { type: 'UpsertProduct', sku: 'apple', name: 'Apple', priceCents: 150, available: 10 };
const upserted: ProductEvent = { type: 'ProductUpserted', sku: 'apple', name: 'Apple', priceCents: 150 };
const stocked: ProductEvent = { type: 'StockLevelRecorded', sku: 'apple', available: 10 };

describe('product decider', () => {
  it('when a new product is upserted, then the catalog event is published and stock is recorded', () => {
    spec
      .given([])
      .when(upsert)
      .thenEmits(upserted, stocked)
      .thenState({ status: 'ACTIVE', sku: 'apple', name: 'Apple', priceCents: 150, available: 10, reserved: 0, sold: 0 });
  });

  it('when only the price changes, then only ProductUpserted is emitted', () => {
    spec
      .given([upserted, stocked])
      .when({ ...upsert, priceCents: 175 })
      .thenEmits({ ...upserted, priceCents: 175 });
  });

  it('when only the stock changes, then it is recorded without touching the catalog topic', () => {
    spec
      .given([upserted, stocked])
      .when({ ...upsert, available: 3 })
      .thenEmits({ ...stocked, available: 3 })
      .thenState({ status: 'ACTIVE', sku: 'apple', name: 'Apple', priceCents: 150, available: 3, reserved: 0, sold: 0 });
  });

  it('when the same upsert is repeated, then it is ignored', () => {
    spec.given([upserted, stocked]).when(upsert).thenIgnores('unchanged');
  });

  it.each([
    ['an empty name', { name: ' ' }],
    ['an empty sku', { sku: '' }],
    ['a negative price', { priceCents: -1 }],
    ['a fractional price', { priceCents: 1.5 }],
    ['negative stock', { available: -1 }],
  ])('when the upsert has %s, then it is refused as PRODUCT.INVALID', (_what, patch) => {
    spec
      .given([])
      .when({ ...upsert, ...patch })
      .thenThrows('PRODUCT.INVALID');
  });
});
