import { describe, expect, it } from 'vitest';
import { execute, fold } from '@choreo/domain-kernel';
import { decideFrom, SPEC_NOW } from '@choreo/domain-kernel/testing';
import { customerToCharge, paymentDecider, type PaymentEvent, type PaymentInput, type PaymentState } from './index';

const spec = decideFrom(paymentDecider);
const orderId = 'o-1';
const customerId = 'c-1';
const charge = { orderId, customerId, amountCents: 500 };

const orderPlaced: PaymentInput = { type: 'OrderPlaced', orderId, customerId, totalCents: 500 };
const reservedWith = (balanceCents: number): PaymentInput => ({ type: 'InventoryReserved', orderId, balanceCents });
const orderConfirmed: PaymentInput = { type: 'OrderConfirmed', orderId };
const orderCancelled: PaymentInput = { type: 'OrderCancelled', orderId };

const recorded: PaymentEvent = { type: 'OrderRecorded', ...charge };
const authorized: PaymentEvent = { type: 'PaymentAuthorized', ...charge };
const declined: PaymentEvent = { type: 'PaymentDeclined', orderId, reason: 'INSUFFICIENT_FUNDS' };
const captured: PaymentEvent = { type: 'PaymentCaptured', orderId };
const refunded: PaymentEvent = { type: 'PaymentRefunded', orderId, amountCents: 500 };
const cancelledEarly: PaymentEvent = { type: 'CancellationRecorded', orderId };

describe('payment decider: charging', () => {
  it('when OrderPlaced is seen, then the amount and customer are recorded without publishing', () => {
    expect(execute(paymentDecider, paymentDecider.initialState, orderPlaced, { now: SPEC_NOW })).toEqual({
      kind: 'apply',
      events: [recorded],
      published: [],
      state: { status: 'AWAITING_RESERVATION', ...charge },
    });
  });

  it('when OrderPlaced is redelivered, then it is ignored', () => {
    spec.given([recorded]).when(orderPlaced).thenIgnores('already known');
  });

  it('when inventory is reserved and the balance covers the amount, then the payment is authorized', () => {
    spec
      .given([recorded])
      .when(reservedWith(500))
      .thenEmits(authorized)
      .thenState({ status: 'AUTHORIZED', ...charge });
  });

  it('when inventory is reserved and the balance is short by a cent, then the payment is declined', () => {
    spec
      .given([recorded])
      .when(reservedWith(499))
      .thenEmits(declined)
      .thenState({ status: 'DECLINED', ...charge, reason: 'INSUFFICIENT_FUNDS' });
  });

  it('when the order is confirmed, then the authorized payment is captured', () => {
    spec
      .given([recorded, authorized])
      .when(orderConfirmed)
      .thenEmits(captured)
      .thenState({ status: 'CAPTURED', ...charge });
  });

  it('when the confirmation is repeated, then it is ignored', () => {
    spec.given([recorded, authorized, captured]).when(orderConfirmed).thenIgnores('already captured');
  });

  it.each([
    ['NONE', []],
    ['AWAITING_RESERVATION', [recorded]],
    ['DECLINED', [recorded, declined]],
    ['REFUNDED', [recorded, authorized, refunded]],
    ['CANCELLED_BEFORE_CHARGE', [cancelledEarly]],
  ])('when the order is confirmed while %s, then it is ignored with a reason', (status, given) => {
    spec.given(given).when(orderConfirmed).thenIgnores(`OrderConfirmed while ${status}`);
  });

  it('when the service asks whose balance to lock, then only an awaiting payment names its customer', () => {
    const at = (events: PaymentEvent[]): PaymentState => fold(paymentDecider.evolve, paymentDecider.initialState, events);
    expect(customerToCharge(at([recorded]))).toBe(customerId);
    expect(customerToCharge(at([]))).toBeUndefined();
    expect(customerToCharge(at([recorded, authorized]))).toBeUndefined();
  });
});

describe('payment decider: at most one charge per order', () => {
  it.each([
    ['AUTHORIZED', [recorded, authorized]],
    ['DECLINED', [recorded, declined]],
    ['CAPTURED', [recorded, authorized, captured]],
    ['REFUNDED', [recorded, authorized, refunded]],
  ])('when InventoryReserved arrives again on a %s payment, then nothing is charged', (status, given) => {
    spec.given(given).when(reservedWith(10_000)).thenIgnores(`already ${status}`);
  });
});

describe('payment decider: compensations', () => {
  it('when an authorized order is cancelled, then the amount is refunded', () => {
    spec
      .given([recorded, authorized])
      .when(orderCancelled)
      .thenEmits(refunded)
      .thenState({ status: 'REFUNDED', ...charge });
  });

  it('when the same cancel arrives after the refund, then it is ignored', () => {
    spec.given([recorded, authorized, refunded]).when(orderCancelled).thenIgnores('no money held (REFUNDED)');
  });

  it('when a declined order is cancelled, then nothing is refunded', () => {
    spec.given([recorded, declined]).when(orderCancelled).thenIgnores('no money held (DECLINED)');
  });

  it('when a captured order is cancelled, then it is ignored with the reason recorded', () => {
    spec.given([recorded, authorized, captured]).when(orderCancelled).thenIgnores('after CAPTURED');
  });
});
