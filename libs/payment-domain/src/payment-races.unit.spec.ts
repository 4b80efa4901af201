import { describe, expect, it } from 'vitest';
import { execute } from '@choreo/domain-kernel';
import { decideFrom, SPEC_NOW } from '@choreo/domain-kernel/testing';
import { paymentDecider, type PaymentEvent, type PaymentInput, type PaymentState } from './index';

const spec = decideFrom(paymentDecider);
const orderId = 'o-1';
const ctx = { now: SPEC_NOW };
const orderPlaced: PaymentInput = { type: 'OrderPlaced', orderId, customerId: 'c-1', totalCents: 500 };
const inventoryReserved: PaymentInput = { type: 'InventoryReserved', orderId, balanceCents: 1_000 };
const orderCancelled: PaymentInput = { type: 'OrderCancelled', orderId };
const recorded: PaymentEvent = { type: 'OrderRecorded', orderId, customerId: 'c-1', amountCents: 500 };
const cancelledEarly: PaymentEvent = { type: 'CancellationRecorded', orderId };

function step(state: PaymentState, input: PaymentInput): PaymentState {
  const outcome = execute(paymentDecider, state, input, ctx);
  if (outcome.kind !== 'apply') throw new Error(`${input.type} did not apply: ${outcome.reason}`);
  return outcome.state;
}

describe('payment decider: races', () => {
  it('when InventoryReserved arrives before OrderPlaced, then it is parked', () => {
    spec.given([]).when(inventoryReserved).thenParks('OrderPlaced not yet seen');
  });

  it('when the parked InventoryReserved is retried after OrderPlaced, then the payment is authorized', () => {
    expect(execute(paymentDecider, paymentDecider.initialState, inventoryReserved, ctx).kind).toBe('park');
    const afterOrder = step(paymentDecider.initialState, orderPlaced);
    expect(execute(paymentDecider, afterOrder, inventoryReserved, ctx)).toMatchObject({
      kind: 'apply',
      published: [{ type: 'PaymentAuthorized', orderId, customerId: 'c-1', amountCents: 500 }],
    });
  });

  it('when the order is cancelled before InventoryReserved, then the cancellation is recorded without publishing', () => {
    expect(execute(paymentDecider, step(paymentDecider.initialState, orderPlaced), orderCancelled, ctx)).toEqual({
      kind: 'apply',
      events: [cancelledEarly],
      published: [],
      state: { status: 'CANCELLED_BEFORE_CHARGE', orderId },
    });
  });

  it('when OrderCancelled arrives before even OrderPlaced, then the cancellation is still recorded', () => {
    spec.given([]).when(orderCancelled).thenEmits(cancelledEarly);
  });

  it('when InventoryReserved arrives after the cancellation was recorded, then nothing is charged', () => {
    spec.given([recorded, cancelledEarly]).when(inventoryReserved).thenIgnores('charging nothing');
  });

  it('when OrderPlaced arrives after the cancellation was recorded, then it is ignored and the order stays cancelled', () => {
    spec
      .given([cancelledEarly])
      .when(orderPlaced)
      .thenIgnores('CANCELLED_BEFORE_CHARGE')
      .thenState({ status: 'CANCELLED_BEFORE_CHARGE', orderId });
  });

  it('when the same cancel arrives twice before a charge, then the second is ignored', () => {
    spec.given([recorded, cancelledEarly]).when(orderCancelled).thenIgnores('no money held (CANCELLED_BEFORE_CHARGE)');
  });

  it('when the order is cancelled after the charge, then the charge is refunded exactly once', () => {
    let state = step(step(paymentDecider.initialState, orderPlaced), inventoryReserved);
    const first = execute(paymentDecider, state, orderCancelled, ctx);
    expect(first).toMatchObject({ kind: 'apply', published: [{ type: 'PaymentRefunded', orderId, amountCents: 500 }] });
    if (first.kind === 'apply') state = first.state;
    expect(execute(paymentDecider, state, orderCancelled, ctx).kind).toBe('ignore');
    expect(execute(paymentDecider, state, inventoryReserved, ctx).kind).toBe('ignore');
  });
});
