import { apply, assertNever, DomainRuleViolation, ignore, type Decider, type Decision } from '@choreo/domain-kernel';

/**
 * A product row. `reserved` and `sold` move only through reservations (stockDeltas applied by
 * the service with conditional SQL); the admin upsert sets the catalog fields and `available`.
 */
export type ProductState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE';
      readonly sku: string;
      readonly name: string;
      readonly priceCents: number;
      readonly available: number;
      readonly reserved: number;
      readonly sold: number;
    };

export const initialProductState: ProductState = { status: 'NONE' };

export type ProductInput = {
  readonly type: 'UpsertProduct';
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
};

export type ProductPublishedEvent = {
  readonly type: 'ProductUpserted';
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
};

/** Stock levels are private to inventory: the catalog (ProductUpserted) carries no quantity. */
export type ProductRecordedEvent = { readonly type: 'StockLevelRecorded'; readonly sku: string; readonly available: number };

export type ProductEvent = ProductPublishedEvent | ProductRecordedEvent;

function decide(input: ProductInput, state: ProductState): Decision<ProductEvent> {
  const { sku, name, priceCents, available } = input;
  if (sku === '' || name.trim() === '') throw invalid('sku and name are required');
  if (!isCount(priceCents)) throw invalid('priceCents must be whole cents >= 0');
  if (!isCount(available)) throw invalid('available must be an integer >= 0');
  const isNew = state.status === 'NONE';
  const events: ProductEvent[] = [];
  // Only real changes reach the catalog topic, so a repeated PUT publishes nothing.
  if (isNew || state.name !== name || state.priceCents !== priceCents) {
    events.push({ type: 'ProductUpserted', sku, name, priceCents });
  }
  if (isNew || state.available !== available) events.push({ type: 'StockLevelRecorded', sku, available });
  return events.length === 0 ? ignore('product unchanged') : apply(...events);
}

function evolve(state: ProductState, event: ProductEvent): ProductState {
  const base: Extract<ProductState, { status: 'ACTIVE' }> =
    state.status === 'ACTIVE' ? state : { status: 'ACTIVE', sku: event.sku, name: '', priceCents: 0, available: 0, reserved: 0, sold: 0 };
  switch (event.type) {
    case 'ProductUpserted':
      return { ...base, name: event.name, priceCents: event.priceCents };
    case 'StockLevelRecorded':
      return { ...base, available: event.available };
    default:
      return assertNever(event);
  }
}

function isPublished(event: ProductEvent): event is ProductPublishedEvent {
  switch (event.type) {
    case 'ProductUpserted':
      return true;
    case 'StockLevelRecorded':
      return false;
    default:
      return assertNever(event);
  }
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;
const invalid = (message: string) => DomainRuleViolation.invalid('PRODUCT.INVALID', message);

export const productDecider: Decider<ProductInput, ProductState, ProductEvent, ProductPublishedEvent> = {
  initialState: initialProductState,
  decide,
  evolve,
  isPublished,
};
