import { initialReservationState, type ReservationState } from '@choreo/inventory-domain';
import type { PoolClient } from 'pg';

export async function loadReservationForUpdate(tx: PoolClient, orderId: string): Promise<ReservationState> {
  const { rows } = await tx.query<{ state: ReservationState }>({
    name: 'inventory.load-reservation-for-update',
    text: 'SELECT state FROM reservations WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialReservationState;
}

export async function saveReservation(tx: PoolClient, state: ReservationState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save an empty reservation');
  await tx.query({
    name: 'inventory.save-reservation',
    text: `INSERT INTO reservations (order_id, status, state) VALUES ($1, $2, $3)
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()`,
    values: [state.orderId, state.status, JSON.stringify(state)],
  });
}

/** A reservation as the admin read endpoint shows it, with when it was made and last changed. */
export async function findReservation(db: Pick<PoolClient, 'query'>, orderId: string) {
  const { rows } = await db.query<{ state: Exclude<ReservationState, { status: 'NONE' }>; created_at: Date; updated_at: Date }>(
    'SELECT state, created_at, updated_at FROM reservations WHERE order_id = $1',
    [orderId],
  );
  return rows[0] && { state: rows[0].state, createdAt: rows[0].created_at.toISOString(), updatedAt: rows[0].updated_at.toISOString() };
}
