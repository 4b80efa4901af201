import { initialReservationState, type ReservationState } from '@choreo/inventory-domain';
import { jsonLiteral, knownRow, lockAndHold, writeAtCommit, type CommitUpsert, type PoolClient } from '@choreo/platform';

type Stored = Exclude<ReservationState, { status: 'NONE' }>;

/** Reservations saved in a transaction, upserted with its COMMIT (one statement for all of them). */
const RESERVATION_SAVE: CommitUpsert<Stored> = {
  key: (state) => state.orderId,
  sql: (states) => `INSERT INTO reservations (order_id, status, state)
     SELECT s->>'orderId', s->>'status', s FROM jsonb_array_elements(${jsonLiteral(states)}) AS s
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()`,
};

/** Loads a reservation under its row lock; one this transaction saved already is read back from the save (the table has it from the COMMIT on). */
export async function loadReservationForUpdate(tx: PoolClient, orderId: string): Promise<ReservationState> {
  const known = knownRow(tx, RESERVATION_SAVE, orderId);
  if (known !== undefined) return known ?? initialReservationState;
  const { rows } = await tx.query<{ state: ReservationState }>({
    name: 'inventory.load-reservation-for-update',
    text: 'SELECT state FROM reservations WHERE order_id = $1 FOR UPDATE',
    values: [orderId],
  });
  return rows[0]?.state ?? initialReservationState;
}

/**
 * Locks and reads the reservations of a consumer batch in one round trip, in key order, before its
 * handlers run: their loads then read them from the transaction (`knownRow`), absent ones too.
 */
export const lockReservations = (tx: PoolClient, orderIds: readonly string[]): Promise<void> =>
  lockAndHold(
    tx,
    RESERVATION_SAVE,
    { name: 'inventory.lock-reservations', text: 'SELECT state FROM reservations WHERE order_id = ANY($1) ORDER BY order_id FOR UPDATE' },
    orderIds,
  );

export async function saveReservation(tx: PoolClient, state: ReservationState): Promise<void> {
  if (state.status === 'NONE') throw new Error('refusing to save an empty reservation');
  if (!writeAtCommit(tx, RESERVATION_SAVE, [state])) await tx.query(RESERVATION_SAVE.sql([state]));
}

/** A reservation as the admin read endpoint shows it, with when it was made and last changed. */
export async function findReservation(db: Pick<PoolClient, 'query'>, orderId: string) {
  const { rows } = await db.query<{ state: Exclude<ReservationState, { status: 'NONE' }>; created_at: Date; updated_at: Date }>(
    'SELECT state, created_at, updated_at FROM reservations WHERE order_id = $1',
    [orderId],
  );
  return rows[0] && { state: rows[0].state, createdAt: rows[0].created_at.toISOString(), updatedAt: rows[0].updated_at.toISOString() };
}
