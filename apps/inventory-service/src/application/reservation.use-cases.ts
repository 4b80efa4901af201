import {
  reservationDecider,
  stockDeltasOf,
  type ReservationEvent,
  type ReservationInput,
  type ReservationPublishedEvent,
  type ReservationState,
  type StockLine,
} from '@choreo/inventory-domain';
import { decideAndStore, type AggregateStore, type DecideOptions } from '@choreo/service-host';
import type { PoolClient } from 'pg';
import { applyStockDeltas, lockStock } from '../persistence/product.repository';
import { loadReservationForUpdate, saveReservation } from '../persistence/reservation.repository';
import { toOutgoing } from './reservation-events.mapper';

type ReservationFact =
  | { readonly type: 'OrderPlaced'; readonly orderId: string; readonly items: readonly StockLine[] }
  | Exclude<ReservationInput, { type: 'OrderPlaced' }>;

const reservations: AggregateStore<ReservationFact, ReservationInput, ReservationState, ReservationEvent, ReservationPublishedEvent> = {
  decider: reservationDecider,
  /** Locks the reservation, then the product rows an order needs, in lock order; decides on that stock. */
  load: async (tx, fact) => {
    const state = await loadReservationForUpdate(tx, fact.orderId);
    const input: ReservationInput =
      fact.type === 'OrderPlaced' ? { ...fact, stock: await lockStock(tx, [...new Set(fact.items.map((i) => i.sku))]) } : fact;
    return { state, input };
  },
  /** Moves the counters with conditional updates, each event on the state it followed, then saves. */
  save: async (tx, { state, events }, before) => {
    let current = before;
    for (const event of events) {
      await applyStockDeltas(tx, stockDeltasOf(current, event));
      current = reservationDecider.evolve(current, event);
    }
    await saveReservation(tx, state);
  },
  toOutgoing,
};

/** The one way a reservation and the stock it holds change: one transaction, the caller's. */
export const decideReservation = (tx: PoolClient, fact: ReservationFact, opts?: DecideOptions) =>
  decideAndStore(tx, reservations, fact, opts);
