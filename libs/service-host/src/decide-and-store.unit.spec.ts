import { describe, expect, it } from 'vitest';
import { apply, ignore, park, type Decider } from '@choreo/domain-kernel';
import type { PoolClient } from 'pg';
import { decideAndStore, type AggregateStore } from './decide-and-store';

// A product whose price is set: SetPrice emits PriceSet (published) and Audited (recorded only).
type Input = { type: 'SetPrice'; sku: string; priceCents: number } | { type: 'Wait'; sku: string };
type State = { sku: string; priceCents: number };
type Event = { type: 'PriceSet'; sku: string; priceCents: number } | { type: 'Audited'; sku: string };
type Published = Extract<Event, { type: 'PriceSet' }>;

const decider: Decider<Input, State, Event, Published> = {
  initialState: { sku: '', priceCents: 0 },
  decide: (input, state) => {
    if (input.type === 'Wait') return park('not yet');
    if (state.priceCents === input.priceCents) return ignore('price unchanged');
    return apply<Event>({ type: 'PriceSet', sku: input.sku, priceCents: input.priceCents }, { type: 'Audited', sku: input.sku });
  },
  evolve: (state, event) => (event.type === 'PriceSet' ? { sku: event.sku, priceCents: event.priceCents } : state),
  isPublished: (event): event is Published => event.type === 'PriceSet',
};

/** Records every step in order; the fake transaction answers the outbox append as Postgres would. */
function harness(stored: State) {
  const steps: string[] = [];
  const outbox: unknown[][] = [];
  const tx = {
    query: async ({ values }: { values: unknown[] }) => {
      outbox.push(values);
      return { rows: [{ aggregate_seq: String(outbox.length) }] };
    },
  } as unknown as PoolClient;
  const store: AggregateStore<Input, Input, State, Event, Published> = {
    decider,
    load: async (_tx, input) => {
      steps.push(`load ${input.sku}`);
      return { state: stored, input };
    },
    save: async (_tx, applied, before) => {
      steps.push(`save ${before.priceCents}->${applied.state.priceCents} after ${applied.events.map((e) => e.type).join(',')}`);
    },
    toOutgoing: ({ sku, priceCents }) => ({
      type: 'ProductUpserted',
      aggregateId: sku,
      sagaId: sku,
      payload: { sku, name: `name of ${sku}`, priceCents },
    }),
  };
  return { tx, store, steps, outbox };
}

const now = new Date('2026-01-01T00:00:00.000Z');

describe('decideAndStore', () => {
  it('when the decision applies, then it loads, saves the new state and appends only the published events with causation and time', async () => {
    const h = harness({ sku: 's-1', priceCents: 100 });

    const execution = await decideAndStore(
      h.tx,
      h.store,
      { type: 'SetPrice', sku: 's-1', priceCents: 250 },
      {
        causation: { causationId: 'cause-1' },
        now,
      },
    );

    expect(execution).toMatchObject({ kind: 'apply', state: { sku: 's-1', priceCents: 250 } });
    expect(h.steps).toEqual(['load s-1', 'save 100->250 after PriceSet,Audited']);
    expect(h.outbox).toHaveLength(1);
    const [, aggregateType, aggregateId, type, payload, sagaId, causationId, occurredAt] = h.outbox[0]!;
    expect([aggregateType, aggregateId, type, sagaId, causationId, occurredAt]).toEqual([
      'product',
      's-1',
      'ProductUpserted',
      's-1',
      'cause-1',
      now.toISOString(),
    ]);
    expect(JSON.parse(payload as string)).toEqual({ sku: 's-1', name: 'name of s-1', priceCents: 250 });
  });

  it.each([
    ['ignores', { type: 'SetPrice', sku: 's-1', priceCents: 100 } as Input, { kind: 'ignore', reason: 'price unchanged' }],
    ['parks', { type: 'Wait', sku: 's-1' } as Input, { kind: 'park', reason: 'not yet' }],
  ])('when the decision %s, then nothing is saved or appended and the loaded state comes back', async (_name, input, expected) => {
    const h = harness({ sku: 's-1', priceCents: 100 });

    const execution = await decideAndStore(h.tx, h.store, input, { now });

    expect(execution).toEqual({ ...expected, state: { sku: 's-1', priceCents: 100 } });
    expect(h.steps).toEqual(['load s-1']);
    expect(h.outbox).toEqual([]);
  });
});
