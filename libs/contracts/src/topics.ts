export const AGGREGATE_TYPES = ['order', 'reservation', 'payment', 'product'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** Debezium's EventRouter routes each outbox row to `<aggregatetype>.events`. */
export const topicOf = <A extends AggregateType>(aggregateType: A): `${A}.events` => `${aggregateType}.events`;
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

export const TOPICS = {
  order: topicOf('order'),
  reservation: topicOf('reservation'),
  payment: topicOf('payment'),
  product: topicOf('product'),
} as const satisfies Record<AggregateType, string>;
export type Topic = (typeof TOPICS)[AggregateType];

export const ALL_TOPICS: readonly string[] = Object.values(TOPICS);
export const ALL_DLQ_TOPICS: readonly string[] = ALL_TOPICS.map(dlqTopicOf);
