import type { z } from 'zod';
import * as P from './payloads';
import type { AggregateType } from './topics';

/** How version n of a payload is read: its schema (kept, so docs/api shows it) and the lift to n + 1. */
export interface Upcaster<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly lift: (payload: z.infer<S>) => unknown;
}

export const upcaster = <S extends z.ZodType>(schema: S, lift: (payload: z.infer<S>) => unknown): Upcaster => ({
  schema,
  lift: lift as (payload: unknown) => unknown,
});

interface EventSpec<S extends z.ZodType> {
  readonly aggregateType: AggregateType;
  /** The version producers write today. */
  readonly version: number;
  readonly schema: S;
  /** Older versions still readable: entry n parses version n and lifts it to n + 1. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

const spec = <S extends z.ZodType>(s: EventSpec<S>): EventSpec<S> => s;

export const EVENT_CATALOG = {
  OrderPlaced: spec({ aggregateType: 'order', version: 1, schema: P.OrderPlaced }),
  OrderConfirmed: spec({ aggregateType: 'order', version: 1, schema: P.OrderConfirmed }),
  OrderCancelled: spec({ aggregateType: 'order', version: 1, schema: P.OrderCancelled }),
  InventoryReserved: spec({ aggregateType: 'reservation', version: 1, schema: P.InventoryReserved }),
  InventoryRejected: spec({ aggregateType: 'reservation', version: 1, schema: P.InventoryRejected }),
  InventoryReleased: spec({ aggregateType: 'reservation', version: 1, schema: P.InventoryReleased }),
  InventoryCommitted: spec({ aggregateType: 'reservation', version: 1, schema: P.InventoryCommitted }),
  PaymentAuthorized: spec({ aggregateType: 'payment', version: 1, schema: P.PaymentAuthorized }),
  PaymentDeclined: spec({ aggregateType: 'payment', version: 1, schema: P.PaymentDeclined }),
  PaymentRefunded: spec({ aggregateType: 'payment', version: 1, schema: P.PaymentRefunded }),
  PaymentCaptured: spec({ aggregateType: 'payment', version: 1, schema: P.PaymentCaptured }),
  ProductUpserted: spec({
    aggregateType: 'product',
    version: 2,
    schema: P.ProductUpserted,
    upcasters: {
      1: upcaster(P.ProductUpsertedV1, (v1) => ({ sku: v1.sku, name: v1.name, priceCents: Math.round(v1.price * 100) })),
    },
  }),
} as const;

export type EventType = keyof typeof EVENT_CATALOG;
export type PayloadOf<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]['schema']>;

/** A decoded event: the discriminated union every consumer switches on. */
export type ChoreoEvent = { [T in EventType]: { readonly type: T; readonly payload: PayloadOf<T> } }[EventType];
export type EventOf<T extends EventType> = Extract<ChoreoEvent, { type: T }>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as readonly EventType[];
export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_CATALOG, value);

/** The schema of `type`'s payload as written at `version` (the current one, or an upcaster's); undefined if unreadable. */
export function payloadSchemaAt(type: EventType, version: number): z.ZodType | undefined {
  const s = EVENT_CATALOG[type] as EventSpec<z.ZodType>;
  return version === s.version ? s.schema : s.upcasters?.[version]?.schema;
}
