import type { BatchPrefetch } from '@choreo/messaging';
import type { PoolClient } from 'pg';

/**
 * The prefetch of a service whose aggregate is keyed by the saga's order id (order, reservation,
 * payment): `lock` reads the rows of the `orderId`s the batch's events carry, each once.
 */
export const prefetchByOrderId =
  (lock: (tx: PoolClient, orderIds: readonly string[]) => Promise<void>): BatchPrefetch =>
  (tx, events) =>
    lock(tx, [...new Set(events.flatMap(({ event }) => ('orderId' in event.payload ? [event.payload.orderId] : [])))]);
