import {
  initialOrderState,
  orderDecider,
  type OrderEvent,
  type OrderInput,
  type OrderPublishedEvent,
  type OrderState,
} from '@choreo/order-domain';
import { decideAndStore, type AggregateStore, type DecideOptions } from '@choreo/service-host';
import type { PoolClient } from 'pg';
import { loadOrderForUpdate, saveOrder } from '../persistence/order.repository';
import { toOutgoing } from './order-events.mapper';

const orders: AggregateStore<OrderInput, OrderInput, OrderState, OrderEvent, OrderPublishedEvent> = {
  decider: orderDecider,
  // PlaceOrder names an id generated for it (placeOrder): there is no row to read or lock yet.
  load: async (tx, input) => ({
    state: input.type === 'PlaceOrder' ? initialOrderState : await loadOrderForUpdate(tx, input.orderId),
    input,
  }),
  save: (tx, { state }) => saveOrder(tx, state),
  toOutgoing,
};

/** The one way order state changes; HTTP commands, consumers and the deadline sweeper all come through here. */
export const decideOrder = (tx: PoolClient, input: OrderInput, opts?: DecideOptions) => decideAndStore(tx, orders, input, opts);
