import { execute, type Execution } from '@choreo/domain-kernel';
import { orderDecider, type OrderEvent, type OrderInput, type OrderPublishedEvent, type OrderState } from '@choreo/order-domain';
import { appendToOutbox, type Causation, type OutgoingEvent } from '@choreo/outbox';
import type { PoolClient } from 'pg';
import { loadOrderForUpdate, saveOrder } from '../persistence/order.repository';

export type OrderOutcome = Execution<OrderState, OrderEvent, OrderPublishedEvent>;

/**
 * The one way order state changes: lock, decide, save, append to the outbox — all in the
 * caller's transaction. HTTP commands, consumers and the deadline sweeper all come through here.
 */
export async function decideOrder(
  tx: PoolClient,
  input: OrderInput,
  opts: { readonly causation?: Causation; readonly now?: Date } = {},
): Promise<OrderOutcome> {
  const now = opts.now ?? new Date();
  const state = await loadOrderForUpdate(tx, input.orderId);
  const outcome = execute(orderDecider, state, input, { now });
  if (outcome.kind !== 'apply') return outcome;
  await saveOrder(tx, outcome.state);
  await appendToOutbox(tx, outcome.published.map(toOutgoing), opts.causation, now);
  return outcome;
}

function toOutgoing(event: OrderPublishedEvent): OutgoingEvent {
  const ids = { aggregateId: event.orderId, sagaId: event.orderId };
  switch (event.type) {
    case 'OrderPlaced': {
      const { orderId, customerId, items, totalCents } = event;
      return { ...ids, type: 'OrderPlaced', payload: { orderId, customerId, items: [...items], totalCents } };
    }
    case 'OrderConfirmed':
      return { ...ids, type: 'OrderConfirmed', payload: { orderId: event.orderId } };
    case 'OrderCancelled':
      return { ...ids, type: 'OrderCancelled', payload: { orderId: event.orderId, reason: event.reason } };
  }
}
