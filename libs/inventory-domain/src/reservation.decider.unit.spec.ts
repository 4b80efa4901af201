import { describe, expect, it } from 'vitest';
import { execute } from '@choreo/domain-kernel';
import { decideFrom, SPEC_NOW } from '@choreo/domain-kernel/testing';
import { reservationDecider, stockDeltasOf, type ReservationEvent, type ReservationInput } from './index';

const spec = decideFrom(reservationDecider);
const orderId = 'o-1';
const stock = [
  { sku: 'apple', available: 5 },
  { sku: 'pear', available: 1 },
];
const orderPlaced = (items: { sku: string; quantity: number }[]): ReservationInput => ({ type: 'OrderPlaced', orderId, items, stock });
const items = [
  { sku: 'pear', quantity: 1 },
  { sku: 'apple', quantity: 2 },
];
const sorted = [
  { sku: 'apple', quantity: 2 },
  { sku: 'pear', quantity: 1 },
];
const reserved: ReservationEvent = { type: 'InventoryReserved', orderId, items: sorted };
const rejected: ReservationEvent = { type: 'InventoryRejected', orderId, shortages: [{ sku: 'pear', requested: 2, available: 1 }] };
const released: ReservationEvent = { type: 'InventoryReleased', orderId };
const committed: ReservationEvent = { type: 'InventoryCommitted', orderId };
const cancelledEarly: ReservationEvent = { type: 'CancellationRecorded', orderId };
const orderConfirmed: ReservationInput = { type: 'OrderConfirmed', orderId };
const orderCancelled: ReservationInput = { type: 'OrderCancelled', orderId };

describe('reservation decider: OrderPlaced', () => {
  it('when every line fits, then all lines are reserved, merged and in lock order', () => {
    spec.given([]).when(orderPlaced(items)).thenEmits(reserved).thenState({ status: 'RESERVED', orderId, items: sorted });
  });

  it('when one line is short, then the whole order is rejected and nothing is reserved', () => {
    spec
      .given([])
      .when(orderPlaced([...items, { sku: 'pear', quantity: 1 }]))
      .thenEmits(rejected)
      .thenState({ status: 'REJECTED', orderId, shortages: [{ sku: 'pear', requested: 2, available: 1 }] });
    expect(stockDeltasOf(reservationDecider.initialState, rejected)).toEqual([]);
  });

  it('when a sku is unknown, then it is a shortage with nothing available', () => {
    spec
      .given([])
      .when(orderPlaced([{ sku: 'kiwi', quantity: 1 }]))
      .thenEmits({ type: 'InventoryRejected', orderId, shortages: [{ sku: 'kiwi', requested: 1, available: 0 }] });
  });

  it('when a line asks for exactly what is available, then it fits', () => {
    spec
      .given([])
      .when(orderPlaced([{ sku: 'apple', quantity: 5 }]))
      .thenEmits({ ...reserved, items: [{ sku: 'apple', quantity: 5 }] });
  });

  it.each([
    ['RESERVED', [reserved]],
    ['REJECTED', [rejected]],
    ['COMMITTED', [reserved, committed]],
  ])('when OrderPlaced is redelivered on a %s reservation, then it is ignored', (_s, given) => {
    spec.given(given).when(orderPlaced(items)).thenIgnores('already decided');
  });

  it('when OrderPlaced arrives after the order was cancelled, then nothing is reserved', () => {
    spec.given([cancelledEarly]).when(orderPlaced(items)).thenIgnores('reserving nothing');
  });
});

describe('reservation decider: OrderConfirmed', () => {
  it('when the order is confirmed, then the reservation is committed', () => {
    spec.given([reserved]).when(orderConfirmed).thenEmits(committed).thenState({ status: 'COMMITTED', orderId, items: sorted });
  });

  it('when the confirmation is repeated, then it is ignored', () => {
    spec.given([reserved, committed]).when(orderConfirmed).thenIgnores('already committed');
  });

  it.each([
    ['NONE', []],
    ['REJECTED', [rejected]],
    ['RELEASED', [reserved, released]],
    ['CANCELLED_BEFORE_RESERVATION', [cancelledEarly]],
  ])('when the order is confirmed while %s, then it is ignored with a reason', (status, given) => {
    spec.given(given).when(orderConfirmed).thenIgnores(`OrderConfirmed while ${status}`);
  });
});

describe('reservation decider: OrderCancelled', () => {
  it('when a reserved order is cancelled, then the stock is released', () => {
    spec.given([reserved]).when(orderCancelled).thenEmits(released).thenState({ status: 'RELEASED', orderId, items: sorted });
  });

  it('when the order is cancelled before OrderPlaced is seen, then the cancellation is recorded without publishing', () => {
    const outcome = execute(reservationDecider, reservationDecider.initialState, orderCancelled, { now: SPEC_NOW });
    expect(outcome).toEqual({
      kind: 'apply',
      events: [cancelledEarly],
      published: [],
      state: { status: 'CANCELLED_BEFORE_RESERVATION', orderId },
    });
  });

  it.each([
    ['RELEASED', [reserved, released]],
    ['REJECTED', [rejected]],
    ['CANCELLED_BEFORE_RESERVATION', [cancelledEarly]],
  ])('when the cancel arrives again on a %s reservation, then it is ignored', (_s, given) => {
    spec.given(given).when(orderCancelled).thenIgnores('nothing held');
  });

  it('when a committed order is cancelled, then it is ignored with the reason recorded', () => {
    spec.given([reserved, committed]).when(orderCancelled).thenIgnores('after COMMITTED');
  });
});

describe('stockDeltasOf', () => {
  const held = reservationDecider.evolve(reservationDecider.initialState, reserved);

  it('when a reservation is made, then available moves to reserved for each line', () => {
    expect(stockDeltasOf(reservationDecider.initialState, reserved)).toEqual([
      { sku: 'apple', available: -2, reserved: 2, sold: 0 },
      { sku: 'pear', available: -1, reserved: 1, sold: 0 },
    ]);
  });

  it('when a reservation is released or committed, then the held lines move back or to sold', () => {
    expect(stockDeltasOf(held, released)).toEqual([
      { sku: 'apple', available: 2, reserved: -2, sold: 0 },
      { sku: 'pear', available: 1, reserved: -1, sold: 0 },
    ]);
    expect(stockDeltasOf(held, committed)).toEqual([
      { sku: 'apple', available: 0, reserved: -2, sold: 2 },
      { sku: 'pear', available: 0, reserved: -1, sold: 1 },
    ]);
  });

  it('when nothing is held, then releasing is a broken invariant', () => {
    expect(() => stockDeltasOf(reservationDecider.initialState, released)).toThrow(/no stock held/);
  });
});
