import { describe, expect, it } from 'vitest';
import { apply, DomainRuleViolation, execute, ignore, park, type Decider } from './index';
import { decideFrom, equal, SpecificationFailure, SPEC_NOW } from './testing';

// A counter: Add emits Added (published) and Noted (recorded); Stop ignores, Wait parks, Bad throws.
type Input = { type: 'Add'; n: number } | { type: 'Stop' } | { type: 'Wait' } | { type: 'Bad' };
type Event = { type: 'Added'; n: number } | { type: 'Noted' };
const counter: Decider<Input, number, Event, Extract<Event, { type: 'Added' }>> = {
  initialState: 0,
  decide: (input) => {
    switch (input.type) {
      case 'Add':
        return apply<Event>({ type: 'Added', n: input.n }, { type: 'Noted' });
      case 'Stop':
        return ignore('stopped');
      case 'Wait':
        return park('not yet');
      case 'Bad':
        throw DomainRuleViolation.invalid('COUNTER.BAD', 'bad input');
    }
  },
  evolve: (state, event) => (event.type === 'Added' ? state + event.n : state),
  isPublished: (event): event is Extract<Event, { type: 'Added' }> => event.type === 'Added',
};
const spec = decideFrom(counter);
const added = (n: number): Event => ({ type: 'Added', n });

describe('decideFrom', () => {
  it('when the decision matches, then every assertion passes and state folds given and new events', () => {
    spec
      .given([added(2)])
      .when({ type: 'Add', n: 3 })
      .thenEmits(added(3), { type: 'Noted' })
      .thenState(5);
    spec.given([]).when({ type: 'Stop' }).thenIgnores('stopped').thenState(0);
    spec.given([]).when({ type: 'Wait' }).thenParks(/not/);
    spec.given([]).when({ type: 'Bad' }).thenThrows('COUNTER.BAD');
  });

  it.each([
    ['wrong events', () => spec.given([]).when({ type: 'Add', n: 1 }).thenEmits(added(2))],
    ['missing events', () => spec.given([]).when({ type: 'Add', n: 1 }).thenEmits(added(1))],
    ['emits expected but ignored', () => spec.given([]).when({ type: 'Stop' }).thenEmits()],
    ['park expected but ignored', () => spec.given([]).when({ type: 'Stop' }).thenParks()],
    ['ignore expected but parked', () => spec.given([]).when({ type: 'Wait' }).thenIgnores()],
    ['wrong reason', () => spec.given([]).when({ type: 'Stop' }).thenIgnores('late')],
    ['throw expected but decided', () => spec.given([]).when({ type: 'Stop' }).thenThrows('COUNTER.BAD')],
    ['wrong code', () => spec.given([]).when({ type: 'Bad' }).thenThrows('COUNTER.OTHER')],
    ['decision expected but threw', () => spec.given([]).when({ type: 'Bad' }).thenIgnores()],
    [
      'wrong state',
      () =>
        spec
          .given([added(1)])
          .when({ type: 'Add', n: 1 })
          .thenState(1),
    ],
  ])('when the assertion does not hold (%s), then it fails', (_name, assertion) => {
    expect(assertion).toThrow(SpecificationFailure);
  });
});

describe('execute', () => {
  it('when the decision applies, then the outbox gets only published events and state folds all', () => {
    expect(execute(counter, 1, { type: 'Add', n: 4 }, { now: SPEC_NOW })).toEqual({
      kind: 'apply',
      state: 5,
      events: [added(4), { type: 'Noted' }],
      published: [added(4)],
    });
  });

  it('when the decision parks, then execute passes it through with the state unchanged', () => {
    expect(execute(counter, 1, { type: 'Wait' }, { now: SPEC_NOW })).toEqual({ kind: 'park', reason: 'not yet', state: 1 });
  });
});

describe('equal', () => {
  it('when values differ in nesting, order or keys, then they are not equal', () => {
    expect(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(equal({ a: undefined, b: 1 }, { b: 1 })).toBe(true);
    expect(equal([1, 2], [2, 1])).toBe(false);
    expect(equal({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equal([], {})).toBe(false);
    expect(equal(null, {})).toBe(false);
  });
});
