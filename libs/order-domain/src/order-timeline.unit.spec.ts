import { describe, expect, it } from 'vitest';
import { execute, type DeciderContext } from '@choreo/domain-kernel';
import { orderDecider, orderTimeline, type OrderInput, type OrderState } from './index';

const orderId = 'o-1';
const at = (second: number): DeciderContext => ({ now: new Date(Date.UTC(2026, 0, 1, 0, 0, second)) });
const iso = (second: number) => at(second).now.toISOString();

function run(steps: readonly (readonly [OrderInput, number])[]): OrderState {
  return steps.reduce<OrderState>((state, [input, second]) => {
    const outcome = execute(orderDecider, state, input, at(second));
    if (outcome.kind !== 'apply') throw new Error(`${input.type} did not apply: ${outcome.reason}`);
    return outcome.state;
  }, orderDecider.initialState);
}

const place: OrderInput = {
  type: 'PlaceOrder',
  orderId,
  customerId: 'c-1',
  lines: [{ sku: 'apple', quantity: 1, unitPriceCents: 100 }],
  sagaTimeoutMs: 30_000,
};

describe('order timeline', () => {
  it('when the saga confirms, then placed, reserved, paid and confirmed carry the time each was decided', () => {
    const state = run([
      [place, 1],
      [{ type: 'InventoryReserved', orderId }, 2],
      [{ type: 'PaymentAuthorized', orderId, amountCents: 100 }, 3],
    ]);
    expect(state).toMatchObject({
      status: 'CONFIRMED',
      timeline: { placedAt: iso(1), reservedAt: iso(2), paidAt: iso(3), confirmedAt: iso(3) },
    });
    expect(orderTimeline(state)).toEqual([
      { step: 'PLACED', at: iso(1) },
      { step: 'RESERVED', at: iso(2) },
      { step: 'PAID', at: iso(3) },
      { step: 'CONFIRMED', at: iso(3) },
    ]);
  });

  it('when the saga is cancelled, then the timeline ends with the cancellation and its reason', () => {
    const state = run([
      [place, 1],
      [{ type: 'InventoryReserved', orderId }, 2],
      [{ type: 'PaymentDeclined', orderId, reason: 'INSUFFICIENT_FUNDS' }, 4],
    ]);
    expect(state).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    expect(orderTimeline(state)).toEqual([
      { step: 'PLACED', at: iso(1) },
      { step: 'RESERVED', at: iso(2) },
      { step: 'CANCELLED', at: iso(4), reason: 'PAYMENT_DECLINED' },
    ]);
  });

  it('when there is no order, then the timeline is empty', () => {
    expect(orderTimeline(orderDecider.initialState)).toEqual([]);
  });
});
