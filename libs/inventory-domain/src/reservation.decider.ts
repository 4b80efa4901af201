import { apply, assertNever, DomainRuleViolation, ignore, type Decider, type Decision } from '@choreo/domain-kernel';
import { lockOrder, stockDeltas, type StockDelta, type StockLine } from './stock-lines';

export interface Shortage {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/** `available` of a product row as loaded (and locked) by the service; missing sku = unknown. */
export interface StockLevel {
  readonly sku: string;
  readonly available: number;
}

/** Items are always merged per sku and in lock order (see lockOrder). */
export type ReservationState =
  | { readonly status: 'NONE' }
  | { readonly status: 'RESERVED'; readonly orderId: string; readonly items: readonly StockLine[] }
  | { readonly status: 'REJECTED'; readonly orderId: string; readonly shortages: readonly Shortage[] }
  | { readonly status: 'RELEASED'; readonly orderId: string; readonly items: readonly StockLine[] }
  | { readonly status: 'COMMITTED'; readonly orderId: string; readonly items: readonly StockLine[] }
  | { readonly status: 'CANCELLED_BEFORE_RESERVATION'; readonly orderId: string };

export const initialReservationState: ReservationState = { status: 'NONE' };

/** Facts from order.events; for OrderPlaced the service adds the stock of the skus involved. */
export type ReservationInput =
  | {
      readonly type: 'OrderPlaced';
      readonly orderId: string;
      readonly items: readonly StockLine[];
      readonly stock: readonly StockLevel[];
    }
  | { readonly type: 'OrderConfirmed'; readonly orderId: string }
  | { readonly type: 'OrderCancelled'; readonly orderId: string };

export type ReservationPublishedEvent =
  | { readonly type: 'InventoryReserved'; readonly orderId: string; readonly items: readonly StockLine[] }
  | { readonly type: 'InventoryRejected'; readonly orderId: string; readonly shortages: readonly Shortage[] }
  | { readonly type: 'InventoryReleased'; readonly orderId: string }
  | { readonly type: 'InventoryCommitted'; readonly orderId: string };

/** The order was cancelled before we reserved: remember it so a late OrderPlaced reserves nothing. */
export type ReservationRecordedEvent = { readonly type: 'CancellationRecorded'; readonly orderId: string };

export type ReservationEvent = ReservationPublishedEvent | ReservationRecordedEvent;

function decide(input: ReservationInput, state: ReservationState): Decision<ReservationEvent> {
  const { orderId } = input;
  switch (input.type) {
    case 'OrderPlaced':
      if (state.status === 'CANCELLED_BEFORE_RESERVATION') return ignore('order cancelled before reservation: reserving nothing');
      if (state.status !== 'NONE') return ignore(`reservation already decided (${state.status})`);
      return reserveAllOrNothing(orderId, input.items, input.stock);
    case 'OrderConfirmed':
      if (state.status === 'RESERVED') return apply({ type: 'InventoryCommitted', orderId });
      if (state.status === 'COMMITTED') return ignore('already committed');
      // Confirmation follows PaymentAuthorized, which follows InventoryReserved: anything else is a bug upstream.
      return ignore(`OrderConfirmed while ${state.status}: nothing reserved to commit`);
    case 'OrderCancelled':
      switch (state.status) {
        case 'NONE':
          return apply({ type: 'CancellationRecorded', orderId });
        case 'RESERVED':
          return apply({ type: 'InventoryReleased', orderId });
        case 'REJECTED':
        case 'RELEASED':
        case 'CANCELLED_BEFORE_RESERVATION':
          return ignore(`nothing held (${state.status})`);
        case 'COMMITTED':
          return ignore('OrderCancelled after COMMITTED: a cancel after confirmation is an upstream bug, stock stays sold');
        default:
          return assertNever(state);
      }
    default:
      return assertNever(input);
  }
}

function reserveAllOrNothing(orderId: string, items: readonly StockLine[], stock: readonly StockLevel[]): Decision<ReservationEvent> {
  const lines = lockOrder(items);
  const available = new Map(stock.map((s) => [s.sku, s.available]));
  const shortages = lines
    .map(({ sku, quantity }) => ({ sku, requested: quantity, available: Math.max(0, available.get(sku) ?? 0) }))
    .filter((s) => s.available < s.requested);
  if (shortages.length > 0) return apply({ type: 'InventoryRejected', orderId, shortages });
  return apply({ type: 'InventoryReserved', orderId, items: lines });
}

function evolve(state: ReservationState, event: ReservationEvent): ReservationState {
  const { orderId } = event;
  switch (event.type) {
    case 'InventoryReserved':
      return { status: 'RESERVED', orderId, items: event.items };
    case 'InventoryRejected':
      return { status: 'REJECTED', orderId, shortages: event.shortages };
    case 'InventoryReleased':
      return { status: 'RELEASED', orderId, items: heldItems(state) };
    case 'InventoryCommitted':
      return { status: 'COMMITTED', orderId, items: heldItems(state) };
    case 'CancellationRecorded':
      return { status: 'CANCELLED_BEFORE_RESERVATION', orderId };
    default:
      return assertNever(event);
  }
}

function heldItems(state: ReservationState): readonly StockLine[] {
  if (state.status !== 'RESERVED') throw DomainRuleViolation.invariant('RESERVATION.INVARIANT', `no stock held in ${state.status}`);
  return state.items;
}

/**
 * The product-row changes an event implies, in lock order. `before` is the state the decision
 * was made on (release and commit move what it held). The service applies each delta with a
 * conditional UPDATE (e.g. `available + $d >= 0`) and treats a miss as a broken invariant.
 */
export function stockDeltasOf(before: ReservationState, event: ReservationEvent): StockDelta[] {
  switch (event.type) {
    case 'InventoryReserved':
      return stockDeltas('reserve', event.items);
    case 'InventoryReleased':
      return stockDeltas('release', heldItems(before));
    case 'InventoryCommitted':
      return stockDeltas('commit', heldItems(before));
    case 'InventoryRejected':
    case 'CancellationRecorded':
      return [];
    default:
      return assertNever(event);
  }
}

function isPublished(event: ReservationEvent): event is ReservationPublishedEvent {
  switch (event.type) {
    case 'InventoryReserved':
    case 'InventoryRejected':
    case 'InventoryReleased':
    case 'InventoryCommitted':
      return true;
    case 'CancellationRecorded':
      return false;
    default:
      return assertNever(event);
  }
}

export const reservationDecider: Decider<ReservationInput, ReservationState, ReservationEvent, ReservationPublishedEvent> = {
  initialState: initialReservationState,
  decide,
  evolve,
  isPublished,
};
