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

/** The rows an outbox statement writes: its values travel as one JSON literal. */
function outboxRows(sql: string): Record<string, unknown>[] {
  const literal = /outbox_append\((E?)'((?:[^']|'')*)'::jsonb\)/.exec(sql);
  if (!literal) throw new Error(`not an outbox statement: ${sql.slice(0, 80)}`);
  const text = literal[2]!.replaceAll("''", "'");
  return JSON.parse(literal[1] === 'E' ? text.replaceAll('\\\\', '\\') : text) as Record<string, unknown>[];
}

/** Records every step in order; the fake transaction (not opened by withTransaction) takes the outbox statement at once. */
function harness(stored: State) {
  const steps: string[] = [];
  const outbox: Record<string, unknown>[] = [];
  const tx = {
    query: async (sql: string) => {
      outbox.push(...outboxRows(sql));
      return { rows: [], rowCount: outbox.length };
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
    expect(h.outbox[0]).toMatchObject({
      aggregatetype: 'product',
      aggregateid: 's-1',
      type: 'ProductUpserted',
      saga_id: 's-1',
      causation_id: 'cause-1',
      occurred_at: now.toISOString(),
      payload: { sku: 's-1', name: 'name of s-1', priceCents: 250 },
    });
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
