import { describe, expect, it } from 'vitest';
import { execute, type DeciderContext } from '@choreo/domain-kernel';
import { decideFrom } from '@choreo/domain-kernel/testing';
import { orderDecider, type OrderEvent, type OrderInput } from './index';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';
const DEADLINE = '2026-01-01T00:00:30.000Z'; // T0 + 30 s
const at = (iso: string): DeciderContext => ({ now: new Date(iso) });
const spec = decideFrom(orderDecider, at(T2));

const orderId = 'o-1';
const lines = [
  { sku: 'apple', quantity: 2, unitPriceCents: 150 },
  { sku: 'pear', quantity: 1, unitPriceCents: 99 },
];
const placed: OrderEvent = { type: 'OrderPlaced', orderId, customerId: 'c-1', items: lines, totalCents: 399, deadlineAt: DEADLINE, at: T0 };
const reserved: OrderEvent = { type: 'InventoryReservationRecorded', orderId, at: T1 };
const confirmed: OrderEvent = { type: 'OrderConfirmed', orderId, at: T1 };
const cancelledBy = (reason: 'OUT_OF_STOCK' | 'CUSTOMER_REQUEST' | 'TIMEOUT' | 'PAYMENT_DECLINED'): OrderEvent => ({
  type: 'OrderCancelled',
  orderId,
  reason,
  at: T1,
});

const data = { orderId, customerId: 'c-1', items: lines, totalCents: 399, deadlineAt: DEADLINE };
const pendingState = () => orderDecider.evolve(orderDecider.initialState, placed);

const placeOrder: OrderInput = { type: 'PlaceOrder', orderId, customerId: 'c-1', lines, sagaTimeoutMs: 30_000 };
const inventoryReserved: OrderInput = { type: 'InventoryReserved', orderId };
const inventoryRejected: OrderInput = {
  type: 'InventoryRejected',
  orderId,
  shortages: [{ sku: 'pear', requested: 1, available: 0 }],
};
const paymentAuthorized: OrderInput = { type: 'PaymentAuthorized', orderId, amountCents: 399 };
const paymentDeclined: OrderInput = { type: 'PaymentDeclined', orderId, reason: 'INSUFFICIENT_FUNDS' };
const cancelOrder: OrderInput = { type: 'CancelOrder', orderId, reason: 'CUSTOMER_REQUEST' };
const deadlinePassed: OrderInput = { type: 'DeadlinePassed', orderId };

describe('order decider: placing', () => {
  it('when an order is placed, then OrderPlaced carries the computed total and the order is PENDING', () => {
    spec
      .given([])
      .when(placeOrder, at(T0))
      .thenEmits(placed)
      .thenState({ ...data, status: 'PENDING', timeline: { placedAt: T0 } });
  });

  it('when an order is placed, then its deadline is the saga timeout after placing, and later events keep it', () => {
    spec
      .given([])
      .when({ ...placeOrder, sagaTimeoutMs: 5_000 }, at(T0))
      .thenEmits({ ...placed, deadlineAt: '2026-01-01T00:00:05.000Z' });
    spec
      .given([placed])
      .when(inventoryReserved)
      .thenState({ ...data, status: 'AWAITING_PAYMENT', timeline: { placedAt: T0, reservedAt: T2 } });
  });

  it('when an order is placed, then OrderPlaced is published', () => {
    const outcome = execute(orderDecider, orderDecider.initialState, placeOrder, at(T0));
    expect(outcome).toMatchObject({ kind: 'apply', published: [placed] });
  });

  it('when an order has no lines, then it is refused as ORDER.INVALID', () => {
    spec
      .given([])
      .when({ ...placeOrder, lines: [] })
      .thenThrows('ORDER.INVALID');
  });

  it.each([0, -1, 1.5])('when a line has quantity %s, then it is refused as ORDER.INVALID', (quantity) => {
    spec
      .given([])
      .when({ ...placeOrder, lines: [{ sku: 'apple', quantity, unitPriceCents: 1 }] })
      .thenThrows('ORDER.INVALID');
  });

  it('when a line has a negative price, then it is refused as ORDER.INVALID', () => {
    spec
      .given([])
      .when({ ...placeOrder, lines: [{ sku: 'apple', quantity: 1, unitPriceCents: -5 }] })
      .thenThrows('ORDER.INVALID');
  });

  it('when the total overflows safe integers, then it is refused as ORDER.INVALID', () => {
    const huge = { sku: 'gold', quantity: 1_000_000, unitPriceCents: Number.MAX_SAFE_INTEGER };
    spec
      .given([])
      .when({ ...placeOrder, lines: [huge] })
      .thenThrows('ORDER.INVALID');
  });

  it('when the same order id is placed again, then it is refused as ORDER.ALREADY_EXISTS', () => {
    spec.given([placed]).when(placeOrder).thenThrows('ORDER.ALREADY_EXISTS');
  });
});

describe('order decider: happy path', () => {
  it('when inventory is reserved, then the order awaits payment through a recorded event only', () => {
    spec
      .given([placed])
      .when(inventoryReserved)
      .thenEmits({ type: 'InventoryReservationRecorded', orderId, at: T2 })
      .thenState({ ...data, status: 'AWAITING_PAYMENT', timeline: { placedAt: T0, reservedAt: T2 } });
  });

  it('when inventory is reserved, then the state changes but the outbox gets nothing', () => {
    const outcome = execute(orderDecider, pendingState(), inventoryReserved, at(T2));
    expect(outcome).toMatchObject({ kind: 'apply', published: [], state: { status: 'AWAITING_PAYMENT' } });
  });

  it('when inventory is reserved a second time, then it is ignored', () => {
    spec.given([placed, reserved]).when(inventoryReserved).thenIgnores('already reserved');
  });

  it('when payment is authorized while awaiting payment, then the order is confirmed', () => {
    spec.given([placed, reserved]).when(paymentAuthorized).thenEmits({ type: 'OrderConfirmed', orderId, at: T2 });
  });

  it('when payment is authorized for a different amount, then it is ignored and the order stays open', () => {
    spec
      .given([placed, reserved])
      .when({ ...paymentAuthorized, amountCents: 1 })
      .thenIgnores('order total is 399')
      .thenState({ ...data, status: 'AWAITING_PAYMENT', timeline: { placedAt: T0, reservedAt: T1 } });
  });
});

describe('order decider: compensations', () => {
  it('when inventory is rejected, then the order is cancelled OUT_OF_STOCK', () => {
    spec
      .given([placed])
      .when(inventoryRejected)
      .thenEmits({ ...cancelledBy('OUT_OF_STOCK'), at: T2 });
  });

  it('when payment is declined while awaiting payment, then the order is cancelled PAYMENT_DECLINED', () => {
    spec
      .given([placed, reserved])
      .when(paymentDeclined)
      .thenEmits({ ...cancelledBy('PAYMENT_DECLINED'), at: T2 });
  });

  it.each([
    ['PENDING', [placed]],
    ['AWAITING_PAYMENT', [placed, reserved]],
  ])('when the customer cancels a %s order, then it is cancelled CUSTOMER_REQUEST', (_status, given) => {
    spec
      .given(given)
      .when(cancelOrder)
      .thenEmits({ ...cancelledBy('CUSTOMER_REQUEST'), at: T2 });
  });

  it('when the customer cancels a confirmed order, then it is refused as ORDER.ALREADY_CONFIRMED', () => {
    spec.given([placed, reserved, confirmed]).when(cancelOrder).thenThrows('ORDER.ALREADY_CONFIRMED');
  });

  it('when the customer cancels an unknown order, then it is refused as ORDER.NOT_FOUND', () => {
    spec.given([]).when(cancelOrder).thenThrows('ORDER.NOT_FOUND');
  });

  it('when the same cancel arrives twice, then the second is ignored', () => {
    spec
      .given([placed, cancelledBy('CUSTOMER_REQUEST')])
      .when(cancelOrder)
      .thenIgnores('already cancelled');
  });

  it.each([
    ['PENDING', [placed]],
    ['AWAITING_PAYMENT', [placed, reserved]],
  ])('when the deadline passes on a %s order, then it is cancelled TIMEOUT', (_status, given) => {
    spec
      .given(given)
      .when(deadlinePassed)
      .thenEmits({ ...cancelledBy('TIMEOUT'), at: T2 });
  });

  it.each([
    ['CONFIRMED', [placed, reserved, confirmed]],
    ['CANCELLED', [placed, cancelledBy('OUT_OF_STOCK')]],
  ])('when the deadline passes on a %s order, then it is ignored', (status, given) => {
    spec.given(given).when(deadlinePassed).thenIgnores(`deadline passed after ${status}`);
  });
});
