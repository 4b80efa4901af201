import { execute, type Execution } from '@choreo/domain-kernel';
import {
  reservationDecider,
  stockDeltasOf,
  type ReservationEvent,
  type ReservationInput,
  type ReservationPublishedEvent,
  type ReservationState,
  type StockLine,
} from '@choreo/inventory-domain';
import { appendToOutbox, type Causation, type OutgoingEvent } from '@choreo/outbox';
import type { PoolClient } from 'pg';
import { applyStockDeltas, lockStock } from '../persistence/product.repository';
import { loadReservationForUpdate, saveReservation } from '../persistence/reservation.repository';

type ReservationFact =
  | { readonly type: 'OrderPlaced'; readonly orderId: string; readonly items: readonly StockLine[] }
  | Exclude<ReservationInput, { type: 'OrderPlaced' }>;

export type ReservationOutcome = Execution<ReservationState, ReservationEvent, ReservationPublishedEvent>;

/**
 * Locks the reservation, then the product rows in lock order, decides on that stock, moves
 * the counters with conditional updates, saves, appends to the outbox: one transaction.
 */
export async function decideReservation(tx: PoolClient, fact: ReservationFact, causation: Causation): Promise<ReservationOutcome> {
  const before = await loadReservationForUpdate(tx, fact.orderId);
  const input: ReservationInput =
    fact.type === 'OrderPlaced' ? { ...fact, stock: await lockStock(tx, [...new Set(fact.items.map((i) => i.sku))]) } : fact;
  const outcome = execute(reservationDecider, before, input, { now: new Date() });
  if (outcome.kind !== 'apply') return outcome;
  let state = before;
  for (const event of outcome.events) {
    await applyStockDeltas(tx, stockDeltasOf(state, event));
    state = reservationDecider.evolve(state, event);
  }
  await saveReservation(tx, outcome.state);
  await appendToOutbox(tx, outcome.published.map(toOutgoing), causation);
  return outcome;
}

function toOutgoing(event: ReservationPublishedEvent): OutgoingEvent {
  const ids = { aggregateId: event.orderId, sagaId: event.orderId };
  switch (event.type) {
    case 'InventoryReserved':
      return { ...ids, type: 'InventoryReserved', payload: { orderId: event.orderId, items: [...event.items] } };
    case 'InventoryRejected':
      return { ...ids, type: 'InventoryRejected', payload: { orderId: event.orderId, shortages: [...event.shortages] } };
    case 'InventoryReleased':
      return { ...ids, type: 'InventoryReleased', payload: { orderId: event.orderId } };
    case 'InventoryCommitted':
      return { ...ids, type: 'InventoryCommitted', payload: { orderId: event.orderId } };
  }
}
