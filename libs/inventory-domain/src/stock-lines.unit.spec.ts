import { describe, expect, it } from 'vitest';
import { lockOrder, stockDeltas } from './index';

describe('lockOrder', () => {
  it('when lines repeat a sku and arrive unsorted, then they are merged per sku and sorted by code unit', () => {
    const lines = [
      { sku: 'pear', quantity: 1 },
      { sku: 'Zed', quantity: 1 },
      { sku: 'apple', quantity: 2 },
      { sku: 'pear', quantity: 3 },
    ];
    expect(lockOrder(lines)).toEqual([
      { sku: 'Zed', quantity: 1 },
      { sku: 'apple', quantity: 2 },
      { sku: 'pear', quantity: 4 },
    ]);
  });
});

describe('stockDeltas', () => {
  const lines = [
    { sku: 'pear', quantity: 3 },
    { sku: 'apple', quantity: 2 },
  ];

  it('when stock is reserved, then available drops and reserved rises', () => {
    expect(stockDeltas('reserve', lines)).toEqual([
      { sku: 'apple', available: -2, reserved: 2, sold: 0 },
      { sku: 'pear', available: -3, reserved: 3, sold: 0 },
    ]);
  });

  it('when stock is released, then reserved returns to available', () => {
    expect(stockDeltas('release', lines)).toEqual([
      { sku: 'apple', available: 2, reserved: -2, sold: 0 },
      { sku: 'pear', available: 3, reserved: -3, sold: 0 },
    ]);
  });

  it('when stock is committed, then reserved becomes sold', () => {
    expect(stockDeltas('commit', lines)).toEqual([
      { sku: 'apple', available: 0, reserved: -2, sold: 2 },
      { sku: 'pear', available: 0, reserved: -3, sold: 3 },
    ]);
  });

  it.each(['reserve', 'release', 'commit'] as const)('when stock moves (%s), then available + reserved + sold is conserved', (m) => {
    for (const d of stockDeltas(m, lines)) expect(d.available + d.reserved + d.sold).toBe(0);
  });
});
