import {
  apply,
  assertNever,
  DomainRuleViolation,
  ignore,
  park,
  type Decider,
  type DeciderContext,
  type Decision,
} from '@choreo/domain-kernel';

export type CancellationReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'CUSTOMER_REQUEST' | 'TIMEOUT';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** ISO-8601 instants (ctx.now when order-service decided), for GET /orders/:id. */
export interface OrderTimeline {
  readonly placedAt: string;
  readonly reservedAt?: string;
  readonly paidAt?: string;
  readonly confirmedAt?: string;
  readonly cancelledAt?: string;
}

export interface OrderData {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderLine[];
  readonly totalCents: number;
  readonly timeline: OrderTimeline;
  /** ISO-8601: when the saga times out if still open. Fixed when the order is placed, never moved. */
  readonly deadlineAt: string;
}

export type OrderState =
  | { readonly status: 'NONE' }
  | (OrderData & { readonly status: 'PENDING' })
  | (OrderData & { readonly status: 'AWAITING_PAYMENT' })
  | (OrderData & { readonly status: 'CONFIRMED' })
  | (OrderData & { readonly status: 'CANCELLED'; readonly cancellationReason: CancellationReason });

export type OrderStatus = Exclude<OrderState['status'], 'NONE'>;
export const initialOrderState: OrderState = { status: 'NONE' };

/** Commands (HTTP, the deadline sweeper) and foreign facts the consumers map from contracts. */
export type OrderInput =
  | {
      readonly type: 'PlaceOrder';
      readonly orderId: string;
      readonly customerId: string;
      readonly lines: readonly OrderLine[];
      /** How long the saga may stay open; the deadline is ctx.now plus this. */
      readonly sagaTimeoutMs: number;
    }
  | { readonly type: 'InventoryReserved'; readonly orderId: string }
  | { readonly type: 'InventoryRejected'; readonly orderId: string; readonly shortages: readonly Shortage[] }
  | { readonly type: 'PaymentAuthorized'; readonly orderId: string; readonly amountCents: number }
  | { readonly type: 'PaymentDeclined'; readonly orderId: string; readonly reason: string }
  | { readonly type: 'CancelOrder'; readonly orderId: string; readonly reason: 'CUSTOMER_REQUEST' }
  | { readonly type: 'DeadlinePassed'; readonly orderId: string };

export interface Shortage {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/** Every event carries `at` so evolve can stamp the timeline; the outbox mapping drops it. */
export type OrderPublishedEvent =
  | {
      readonly type: 'OrderPlaced';
      readonly orderId: string;
      readonly customerId: string;
      readonly items: readonly OrderLine[];
      readonly totalCents: number;
      readonly deadlineAt: string;
      readonly at: string;
    }
  | { readonly type: 'OrderConfirmed'; readonly orderId: string; readonly at: string }
  | { readonly type: 'OrderCancelled'; readonly orderId: string; readonly reason: CancellationReason; readonly at: string };

/** PENDING → AWAITING_PAYMENT changes state but tells no one: nobody downstream waits on it. */
export type OrderRecordedEvent = { readonly type: 'InventoryReservationRecorded'; readonly orderId: string; readonly at: string };

export type OrderEvent = OrderPublishedEvent | OrderRecordedEvent;

type Live = Extract<OrderState, { status: 'PENDING' | 'AWAITING_PAYMENT' }>;
type Fact = Extract<OrderInput, { type: 'InventoryReserved' | 'InventoryRejected' | 'PaymentAuthorized' | 'PaymentDeclined' }>;

export function decide(input: OrderInput, state: OrderState, ctx: DeciderContext): Decision<OrderEvent> {
  const at = ctx.now.toISOString();
  if (input.type === 'PlaceOrder') return placeOrder(input, state, ctx.now);
  if (input.type === 'CancelOrder') return cancelOrder(state, at);
  if (input.type === 'DeadlinePassed') {
    if (state.status === 'PENDING' || state.status === 'AWAITING_PAYMENT') return cancel(state, 'TIMEOUT', at);
    return ignore(`deadline passed after ${state.status}`);
  }
  if (state.status === 'NONE') return ignore(`${input.type} for an unknown order`);
  if (state.status === 'CONFIRMED' || state.status === 'CANCELLED') {
    return ignore(`late event after ${state.status}: ${input.type}`);
  }
  return onFact(input, state, at);
}

function onFact(input: Fact, state: Live, at: string): Decision<OrderEvent> {
  const pending = state.status === 'PENDING';
  switch (input.type) {
    case 'InventoryReserved':
      if (!pending) return ignore('inventory already reserved');
      return apply({ type: 'InventoryReservationRecorded', orderId: state.orderId, at });
    case 'InventoryRejected':
      // Reservation is all-or-nothing and decided once, so this contradicts what we applied.
      if (!pending) return ignore('InventoryRejected after InventoryReserved: contradicts the reservation');
      return cancel(state, 'OUT_OF_STOCK', at);
    case 'PaymentAuthorized':
      if (pending) return park('inventory not yet reserved');
      // A wrong amount is an upstream bug; confirming would keep the wrong money. Leaving the
      // order open lets the deadline cancel it, and payment refunds on OrderCancelled.
      if (input.amountCents !== state.totalCents) {
        return ignore(`authorized ${input.amountCents} cents, order total is ${state.totalCents}`);
      }
      return apply({ type: 'OrderConfirmed', orderId: state.orderId, at });
    case 'PaymentDeclined':
      if (pending) return park('inventory not yet reserved');
      return cancel(state, 'PAYMENT_DECLINED', at);
    default:
      return assertNever(input);
  }
}

function placeOrder(input: Extract<OrderInput, { type: 'PlaceOrder' }>, state: OrderState, now: Date): Decision<OrderEvent> {
  if (state.status !== 'NONE') throw DomainRuleViolation.conflict('ORDER.ALREADY_EXISTS', `order ${input.orderId} already exists`);
  if (input.customerId === '') throw invalid('customerId is empty');
  if (input.lines.length === 0) throw invalid('an order needs at least one line');
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw invalid(`quantity of ${line.sku} must be a positive integer`);
    }
    if (!Number.isSafeInteger(line.unitPriceCents) || line.unitPriceCents < 0) {
      throw invalid(`price of ${line.sku} must be whole cents >= 0`);
    }
  }
  const totalCents = input.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  if (!Number.isSafeInteger(totalCents)) throw invalid('order total is too large');
  const { orderId, customerId, lines } = input;
  const deadlineAt = new Date(now.getTime() + input.sagaTimeoutMs).toISOString();
  return apply({ type: 'OrderPlaced', orderId, customerId, items: lines, totalCents, deadlineAt, at: now.toISOString() });
}

function cancelOrder(state: OrderState, at: string): Decision<OrderEvent> {
  switch (state.status) {
    case 'NONE':
      throw DomainRuleViolation.notFound('ORDER.NOT_FOUND', 'no such order');
    case 'PENDING':
    case 'AWAITING_PAYMENT':
      return cancel(state, 'CUSTOMER_REQUEST', at);
    case 'CONFIRMED':
      throw DomainRuleViolation.conflict('ORDER.ALREADY_CONFIRMED', `order ${state.orderId} is already confirmed`);
    case 'CANCELLED':
      return ignore('order already cancelled');
    default:
      return assertNever(state);
  }
}

const cancel = (state: Live, reason: CancellationReason, at: string): Decision<OrderEvent> =>
  apply({ type: 'OrderCancelled', orderId: state.orderId, reason, at });

const invalid = (message: string) => DomainRuleViolation.invalid('ORDER.INVALID', message);

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, items, totalCents, deadlineAt, at } = event;
    return { status: 'PENDING', orderId, customerId, items, totalCents, deadlineAt, timeline: { placedAt: at } };
  }
  if (state.status === 'NONE') throw DomainRuleViolation.invariant('ORDER.INVARIANT', `${event.type} before OrderPlaced`);
  const { timeline } = state;
  switch (event.type) {
    case 'InventoryReservationRecorded':
      return { ...state, status: 'AWAITING_PAYMENT', timeline: { ...timeline, reservedAt: event.at } };
    case 'OrderConfirmed':
      // Confirmation is decided in the same transaction that sees PaymentAuthorized.
      return { ...state, status: 'CONFIRMED', timeline: { ...timeline, paidAt: event.at, confirmedAt: event.at } };
    case 'OrderCancelled':
      return {
        ...state,
        status: 'CANCELLED',
        cancellationReason: event.reason,
        timeline: { ...timeline, cancelledAt: event.at },
      };
    default:
      return assertNever(event);
  }
}

export function isPublished(event: OrderEvent): event is OrderPublishedEvent {
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderConfirmed':
    case 'OrderCancelled':
      return true;
    case 'InventoryReservationRecorded':
      return false;
    default:
      return assertNever(event);
  }
}

export const orderDecider: Decider<OrderInput, OrderState, OrderEvent, OrderPublishedEvent> = {
  initialState: initialOrderState,
  decide,
  evolve,
  isPublished,
};
