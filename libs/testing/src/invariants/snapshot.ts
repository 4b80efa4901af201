/**
 * Everything the invariant checker looks at, gathered after a run has quiesced: the rows of the
 * three databases that belong to the run, what reached Kafka, and what the client was told.
 * Plain data, so the checks are pure and can be tested on fabricated states.
 */

import {
  AGGREGATE_TYPES,
  CONSUMER_GROUPS,
  consumersOf,
  producerOf,
  topicOf,
  type AggregateType,
  type ServiceName,
} from '@choreo/contracts';

export type SourceDb = ServiceName;
export type AggregateKind = AggregateType;

/** What the load generator knows: the only outside view of what was promised. */
export interface ClientView {
  /** Every order the API accepted (201, or 200 on an idempotent replay). */
  readonly orders: readonly { readonly orderId: string; readonly customerId: string; readonly items: readonly ItemLine[] }[];
  /** POST /orders whose outcome the client never learned (every retry failed). */
  readonly unresolved: number;
  /** Per customer: the balance the client set before the run. */
  readonly funding: Readonly<Record<string, number>>;
  /** Per sku: the units the client put on the shelf before the run. */
  readonly stocked: Readonly<Record<string, number>>;
}

export interface ItemLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface OrderRow {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly cancellationReason: string | null;
  readonly totalCents: number;
  readonly items: readonly (ItemLine & { readonly unitPriceCents: number })[];
}

export interface ReservationRow {
  readonly orderId: string;
  readonly status: string;
}

export interface ProductRow {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly stocked: number;
}

export interface PaymentRow {
  readonly orderId: string;
  readonly customerId: string | null;
  readonly status: string;
  readonly amountCents: number | null;
}

export interface AccountRow {
  readonly customerId: string;
  readonly balanceCents: number;
}

export interface LedgerRow {
  readonly customerId: string;
  readonly kind: 'FUNDING' | 'CHARGE' | 'REFUND';
  readonly amountCents: number;
  readonly orderId: string | null;
}

export interface OutboxRow {
  readonly db: SourceDb;
  readonly eventId: string;
  readonly aggregateType: AggregateKind;
  readonly aggregateId: string;
  readonly type: string;
  readonly seq: number;
  readonly sagaId: string;
}

export interface InboxRow {
  readonly consumer: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly seq: number;
  readonly sagaId: string;
  readonly outcome: 'applied' | 'ignored' | 'parked' | 'dead_lettered';
  readonly reason: string | null;
}

export interface ParkedRow {
  readonly consumer: string;
  readonly eventId: string;
  readonly sagaId: string;
  readonly reason: string;
}

export interface SequenceRow {
  readonly consumer: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly lastSeq: number;
}

/** One event id seen on an events topic, and how many copies of it (Debezium re-sends). */
export interface PublishedEvent {
  readonly topic: string;
  readonly eventId: string;
  readonly sagaId: string;
  readonly copies: number;
}

export interface DeadLetter {
  readonly topic: string;
  readonly eventId: string | null;
  readonly sagaId: string | null;
  readonly reason: string;
  /** The consumer that dead-lettered it (`dlq.consumer`). */
  readonly consumer?: string;
}

export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

export interface SystemSnapshot {
  readonly client: ClientView;
  readonly orders: readonly OrderRow[];
  readonly reservations: readonly ReservationRow[];
  readonly products: readonly ProductRow[];
  readonly payments: readonly PaymentRow[];
  readonly accounts: readonly AccountRow[];
  readonly ledger: readonly LedgerRow[];
  readonly outbox: readonly OutboxRow[];
  readonly inbox: readonly InboxRow[];
  readonly parked: readonly ParkedRow[];
  readonly sequences: readonly SequenceRow[];
  readonly published: readonly PublishedEvent[];
  readonly deadLetters: readonly DeadLetter[];
  readonly lag: readonly GroupLag[];
}

const byAggregate = <T>(value: (a: AggregateKind) => T) =>
  Object.fromEntries(AGGREGATE_TYPES.map((a) => [a, value(a)])) as Readonly<Record<AggregateKind, T>>;

/** Who consumes which aggregate's events (consumer group names): each must apply every one of them once. */
export const CONSUMERS_OF = byAggregate<readonly string[]>((a) => consumersOf(topicOf(a)).map((s) => CONSUMER_GROUPS[s]));

/** Which database's outbox each aggregate leaves through. */
export const SOURCE_OF = byAggregate<SourceDb>(producerOf);

export const emptySnapshot = (): SystemSnapshot => ({
  client: { orders: [], unresolved: 0, funding: {}, stocked: {} },
  orders: [],
  reservations: [],
  products: [],
  payments: [],
  accounts: [],
  ledger: [],
  outbox: [],
  inbox: [],
  parked: [],
  sequences: [],
  published: [],
  deadLetters: [],
  lag: [],
});
