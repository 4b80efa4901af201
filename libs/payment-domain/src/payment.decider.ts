import { apply, assertNever, DomainRuleViolation, ignore, park, type Decider, type Decision } from '@choreo/domain-kernel';

export type DeclineReason = 'INSUFFICIENT_FUNDS';

interface Charge {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
}

/** One payment per order (id = orderId): at most one charge, ever. */
export type PaymentState =
  | { readonly status: 'NONE' }
  | (Charge & { readonly status: 'AWAITING_RESERVATION' })
  | (Charge & { readonly status: 'AUTHORIZED' })
  | (Charge & { readonly status: 'DECLINED'; readonly reason: DeclineReason })
  | (Charge & { readonly status: 'CAPTURED' })
  | (Charge & { readonly status: 'REFUNDED' })
  | { readonly status: 'CANCELLED_BEFORE_CHARGE'; readonly orderId: string };

export type PaymentStatus = Exclude<PaymentState['status'], 'NONE'>;
export const initialPaymentState: PaymentState = { status: 'NONE' };

/**
 * Facts from order.events and reservation.events. For InventoryReserved the service passes the
 * balance of `customerToCharge(state)`, read under a row lock (0 when there is no account).
 */
export type PaymentInput =
  | { readonly type: 'OrderPlaced'; readonly orderId: string; readonly customerId: string; readonly totalCents: number }
  | { readonly type: 'InventoryReserved'; readonly orderId: string; readonly balanceCents: number }
  | { readonly type: 'OrderConfirmed'; readonly orderId: string }
  | { readonly type: 'OrderCancelled'; readonly orderId: string };

export type PaymentPublishedEvent =
  | { readonly type: 'PaymentAuthorized'; readonly orderId: string; readonly customerId: string; readonly amountCents: number }
  | { readonly type: 'PaymentDeclined'; readonly orderId: string; readonly reason: DeclineReason }
  | { readonly type: 'PaymentRefunded'; readonly orderId: string; readonly amountCents: number }
  | { readonly type: 'PaymentCaptured'; readonly orderId: string };

/** What we learn from order.events before any money moves; nobody else needs to hear it. */
export type PaymentRecordedEvent =
  | { readonly type: 'OrderRecorded'; readonly orderId: string; readonly customerId: string; readonly amountCents: number }
  | { readonly type: 'CancellationRecorded'; readonly orderId: string };

export type PaymentEvent = PaymentPublishedEvent | PaymentRecordedEvent;

function decide(input: PaymentInput, state: PaymentState): Decision<PaymentEvent> {
  const { orderId } = input;
  switch (input.type) {
    case 'OrderPlaced':
      if (state.status !== 'NONE') return ignore(`order already known (${state.status})`);
      return apply({ type: 'OrderRecorded', orderId, customerId: input.customerId, amountCents: input.totalCents });
    case 'InventoryReserved':
      return charge(state, input.balanceCents);
    case 'OrderCancelled':
      return compensate(state, orderId);
    case 'OrderConfirmed':
      if (state.status === 'AUTHORIZED') return apply({ type: 'PaymentCaptured', orderId });
      if (state.status === 'CAPTURED') return ignore('already captured');
      // Confirmation is caused by our PaymentAuthorized, committed with AUTHORIZED: anything else is a bug upstream.
      return ignore(`OrderConfirmed while ${state.status}: nothing authorized to capture`);
    default:
      return assertNever(input);
  }
}

function charge(state: PaymentState, balanceCents: number): Decision<PaymentEvent> {
  switch (state.status) {
    case 'NONE':
      // reservation.events and order.events are different topics: OrderPlaced may still be on its way.
      return park('OrderPlaced not yet seen: amount and customer unknown');
    case 'AWAITING_RESERVATION': {
      const { orderId, customerId, amountCents } = state;
      if (balanceCents >= amountCents) return apply({ type: 'PaymentAuthorized', orderId, customerId, amountCents });
      return apply({ type: 'PaymentDeclined', orderId, reason: 'INSUFFICIENT_FUNDS' });
    }
    case 'CANCELLED_BEFORE_CHARGE':
      return ignore('order cancelled before charge: charging nothing');
    case 'AUTHORIZED':
    case 'DECLINED':
    case 'CAPTURED':
    case 'REFUNDED':
      return ignore(`at most one charge per order: already ${state.status}`);
    default:
      return assertNever(state);
  }
}

function compensate(state: PaymentState, orderId: string): Decision<PaymentEvent> {
  switch (state.status) {
    case 'NONE':
    case 'AWAITING_RESERVATION':
      return apply({ type: 'CancellationRecorded', orderId });
    case 'AUTHORIZED':
      return apply({ type: 'PaymentRefunded', orderId, amountCents: state.amountCents });
    case 'DECLINED':
    case 'REFUNDED':
    case 'CANCELLED_BEFORE_CHARGE':
      return ignore(`no money held (${state.status})`);
    case 'CAPTURED':
      return ignore('OrderCancelled after CAPTURED: a cancel after confirmation is an upstream bug, nothing refunded');
    default:
      return assertNever(state);
  }
}

function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === 'OrderRecorded') {
    const { orderId, customerId, amountCents } = event;
    return { status: 'AWAITING_RESERVATION', orderId, customerId, amountCents };
  }
  if (event.type === 'CancellationRecorded') return { status: 'CANCELLED_BEFORE_CHARGE', orderId: event.orderId };
  if (state.status === 'NONE' || state.status === 'CANCELLED_BEFORE_CHARGE') {
    throw DomainRuleViolation.invariant('PAYMENT.INVARIANT', `${event.type} while ${state.status}`);
  }
  const { orderId, customerId, amountCents } = state;
  const details = { orderId, customerId, amountCents };
  switch (event.type) {
    case 'PaymentAuthorized':
      return { ...details, status: 'AUTHORIZED' };
    case 'PaymentDeclined':
      return { ...details, status: 'DECLINED', reason: event.reason };
    case 'PaymentCaptured':
      return { ...details, status: 'CAPTURED' };
    case 'PaymentRefunded':
      return { ...details, status: 'REFUNDED' };
    default:
      return assertNever(event);
  }
}

function isPublished(event: PaymentEvent): event is PaymentPublishedEvent {
  switch (event.type) {
    case 'PaymentAuthorized':
    case 'PaymentDeclined':
    case 'PaymentRefunded':
    case 'PaymentCaptured':
      return true;
    case 'OrderRecorded':
    case 'CancellationRecorded':
      return false;
    default:
      return assertNever(event);
  }
}

/** Whose balance the service must lock and pass with InventoryReserved; undefined: none needed. */
export function customerToCharge(state: PaymentState): string | undefined {
  return state.status === 'AWAITING_RESERVATION' ? state.customerId : undefined;
}

export const paymentDecider: Decider<PaymentInput, PaymentState, PaymentEvent, PaymentPublishedEvent> = {
  initialState: initialPaymentState,
  decide,
  evolve,
  isPublished,
};
