import { TOPICS, type AggregateType, type Topic } from './topics';

/**
 * Who produces and who consumes what: written once here; the services' subscriptions, the
 * test harness, the lag check and the invariant checker all derive from it.
 */
export const SERVICE_NAMES = ['order', 'inventory', 'payment'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * What each service is called at runtime: its consumer group, the `consumer` of its inbox rows,
 * its logger and metric label. Renaming one re-reads every topic from the start with an empty inbox.
 */
export const CONSUMER_GROUPS = {
  order: 'order-service',
  inventory: 'inventory-service',
  payment: 'payment-service',
} as const satisfies Record<ServiceName, string>;
export type ConsumerGroup = (typeof CONSUMER_GROUPS)[ServiceName];

/** The topics each service's consumer group subscribes to. */
export const CONSUMED_TOPICS: Readonly<Record<ServiceName, readonly Topic[]>> = {
  order: [TOPICS.reservation, TOPICS.payment, TOPICS.product],
  inventory: [TOPICS.order],
  payment: [TOPICS.order, TOPICS.reservation],
};

/** The aggregates each service writes to its own outbox, so the topics only it produces. */
export const PRODUCED_AGGREGATES: Readonly<Record<ServiceName, readonly AggregateType[]>> = {
  order: ['order'],
  inventory: ['reservation', 'product'],
  payment: ['payment'],
};

/** Does `service`'s consumer group read `topic`? */
export const consumes = (service: ServiceName, topic: string): boolean => (CONSUMED_TOPICS[service] as readonly string[]).includes(topic);

/** The services whose consumer groups read `topic`. */
export const consumersOf = (topic: string): ServiceName[] => SERVICE_NAMES.filter((s) => consumes(s, topic));

/** The service whose outbox `aggregate` leaves through. */
export const producerOf = (aggregate: AggregateType): ServiceName => {
  const producer = SERVICE_NAMES.find((s) => PRODUCED_AGGREGATES[s].includes(aggregate));
  if (producer === undefined) throw new Error(`no service produces ${aggregate}`);
  return producer;
};
