import { lastTraceparent } from '@choreo/outbox';
import { repeatEvery, withTransaction, type Logger, type Pool } from '@choreo/platform';
import { claimExpiredOrders } from '../persistence/order.repository';
import { decideOrder } from './order.use-cases';

export interface DeadlineSweeperOptions {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly afterChange: (orderId: string) => void;
}

/** Cancels open orders past their deadline (TIMEOUT). SKIP LOCKED lets several instances share the work. */
export async function expireDeadlines(opts: DeadlineSweeperOptions, batch = 50): Promise<string[]> {
  const expired = await withTransaction(opts.pool, async (tx) => {
    const ids = await claimExpiredOrders(tx, batch);
    for (const orderId of ids) {
      // The cancellation and its compensations stay in the saga's trace: a timer has none of its own.
      const traceparent = await lastTraceparent(tx, 'order', orderId);
      await decideOrder(tx, { type: 'DeadlinePassed', orderId }, { causation: { traceparent } });
    }
    return ids;
  });
  for (const orderId of expired) {
    opts.logger.info({ sagaId: orderId }, 'saga deadline passed; order cancelled (TIMEOUT)');
    opts.afterChange(orderId);
  }
  return expired;
}

export function startDeadlineSweeper(opts: DeadlineSweeperOptions): () => Promise<void> {
  return repeatEvery(
    opts.intervalMs,
    () => expireDeadlines(opts),
    (error) => opts.logger.warn({ err: error }, 'deadline sweep failed; next tick retries'),
  );
}
