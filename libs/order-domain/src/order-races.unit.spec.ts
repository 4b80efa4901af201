import { describe, expect, it } from 'vitest';
import { execute, fold } from '@choreo/domain-kernel';
import { decideFrom, SPEC_NOW } from '@choreo/domain-kernel/testing';
import { orderDecider, type OrderEvent, type OrderInput, type OrderState } from './index';

const spec = decideFrom(orderDecider);
const orderId = 'o-1';
const now = SPEC_NOW.toISOString();
const placed: OrderEvent = {
  type: 'OrderPlaced',
  orderId,
  customerId: 'c-1',
  items: [{ sku: 'apple', quantity: 1, unitPriceCents: 500 }],
  totalCents: 500,
  deadlineAt: new Date(SPEC_NOW.getTime() + 30_000).toISOString(),
  at: now,
};
const reserved: OrderEvent = { type: 'InventoryReservationRecorded', orderId, at: now };
const confirmed: OrderEvent = { type: 'OrderConfirmed', orderId, at: now };
const cancelled: OrderEvent = { type: 'OrderCancelled', orderId, reason: 'TIMEOUT', at: now };

const facts: OrderInput[] = [
  { type: 'InventoryReserved', orderId },
  { type: 'InventoryRejected', orderId, shortages: [{ sku: 'apple', requested: 1, available: 0 }] },
  { type: 'PaymentAuthorized', orderId, amountCents: 500 },
  { type: 'PaymentDeclined', orderId, reason: 'INSUFFICIENT_FUNDS' },
];

describe('order decider: races', () => {
  it('when PaymentAuthorized arrives before InventoryReserved, then it is parked', () => {
    spec.given([placed]).when({ type: 'PaymentAuthorized', orderId, amountCents: 500 }).thenParks('inventory not yet reserved');
  });

  it('when PaymentDeclined arrives before InventoryReserved, then it is parked', () => {
    spec.given([placed]).when({ type: 'PaymentDeclined', orderId, reason: 'X' }).thenParks('inventory not yet reserved');
  });

  it('when the parked PaymentAuthorized is retried after InventoryReserved, then the order is confirmed', () => {
    // Mirrors the runtime: park, apply the reservation, re-try the parked event.
    const ctx = { now: SPEC_NOW };
    let state: OrderState = fold(orderDecider.evolve, orderDecider.initialState, [placed]);
    const parked: OrderInput = { type: 'PaymentAuthorized', orderId, amountCents: 500 };
    expect(execute(orderDecider, state, parked, ctx).kind).toBe('park');
    const afterReservation = execute(orderDecider, state, { type: 'InventoryReserved', orderId }, ctx);
    if (afterReservation.kind !== 'apply') throw new Error('reservation should apply');
    state = afterReservation.state;
    const retried = execute(orderDecider, state, parked, ctx);
    expect(retried).toMatchObject({ kind: 'apply', published: [confirmed], state: { status: 'CONFIRMED' } });
  });

  it('when InventoryRejected arrives after the reservation was applied, then it is ignored', () => {
    spec.given([placed, reserved]).when(facts[1]!).thenIgnores('contradicts the reservation');
  });
});

describe('order decider: late events after a terminal state', () => {
  it.each(facts.map((f) => [f.type, f] as const))('when %s arrives after CANCELLED, then it is ignored with a reason', (_t, fact) => {
    spec
      .given([placed, cancelled])
      .when(fact)
      .thenIgnores('late event after CANCELLED')
      .thenState(fold(orderDecider.evolve, orderDecider.initialState, [placed, cancelled]));
  });

  it.each(facts.map((f) => [f.type, f] as const))('when %s arrives after CONFIRMED, then it is ignored with a reason', (_t, fact) => {
    spec.given([placed, reserved, confirmed]).when(fact).thenIgnores('late event after CONFIRMED');
  });

  it.each(facts.map((f) => [f.type, f] as const))('when %s arrives for an unknown order, then it is ignored', (_t, fact) => {
    spec.given([]).when(fact).thenIgnores('unknown order');
  });

  it('when the deadline passes for an unknown order, then it is ignored', () => {
    spec.given([]).when({ type: 'DeadlinePassed', orderId }).thenIgnores('after NONE');
  });
});
