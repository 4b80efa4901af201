import { DomainRuleViolation, fold, type DeciderContext, type Decision } from './decision';
import type { Decider } from './decider';

/**
 * Given/When/Then for deciders, framework-free so the domain libs stay dependency-free.
 * Methods are named thenEmits/thenParks/… rather than `then`: an object with a `then`
 * method is a thenable, and an accidental `await` would silently swallow the assertion.
 */
export class SpecificationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecificationFailure';
  }
}

export const SPEC_NOW = new Date('2026-01-01T00:00:00.000Z');

type Decided<E> = { readonly decision: Decision<E> } | { readonly error: unknown };

export interface Then<S, E> {
  /** Asserts an apply decision with exactly these events, in this order. */
  thenEmits(...expected: E[]): Then<S, E>;
  thenParks(reason?: string | RegExp): Then<S, E>;
  thenIgnores(reason?: string | RegExp): Then<S, E>;
  thenThrows(code: string): void;
  /** Asserts the state after folding the decided events (unchanged on ignore/park). */
  thenState(expected: S): Then<S, E>;
  readonly state: S;
  readonly decision: Decision<E>;
}

export function decideFrom<I, S, E, P extends E>(decider: Decider<I, S, E, P>, ctx: DeciderContext = { now: SPEC_NOW }) {
  return {
    given: (events: readonly E[]) => {
      const before = fold(decider.evolve, decider.initialState, events);
      return {
        when: (input: I, at: DeciderContext = ctx): Then<S, E> => {
          let decided: Decided<E>;
          try {
            decided = { decision: decider.decide(input, before, at) };
          } catch (error) {
            decided = { error };
          }
          return then(decider, before, decided);
        },
      };
    },
  };
}

function then<I, S, E, P extends E>(decider: Decider<I, S, E, P>, before: S, decided: Decided<E>): Then<S, E> {
  const decision = (): Decision<E> => {
    if ('error' in decided) throw new SpecificationFailure(`expected a decision, but decide threw: ${String(decided.error)}`);
    return decided.decision;
  };
  const kindIs = (kind: Decision<E>['kind'], reason?: string | RegExp) => {
    const d = decision();
    if (d.kind !== kind) fail(`expected ${kind}`, d);
    if (reason !== undefined && d.kind !== 'apply' && !matches(d.reason, reason)) {
      fail(`expected a ${kind} reason matching ${String(reason)}`, d.reason);
    }
  };
  const self: Then<S, E> = {
    thenEmits(...expected) {
      const d = decision();
      if (d.kind !== 'apply' || !equal(d.events, expected)) fail(`expected events ${show(expected)}`, d);
      return self;
    },
    thenParks(reason) {
      kindIs('park', reason);
      return self;
    },
    thenIgnores(reason) {
      kindIs('ignore', reason);
      return self;
    },
    thenThrows(code) {
      if (!('error' in decided)) return fail(`expected DomainRuleViolation ${code}`, decided.decision);
      const error = decided.error;
      if (!(error instanceof DomainRuleViolation) || error.code !== code) fail(`expected DomainRuleViolation ${code}`, String(error));
    },
    thenState(expected) {
      if (!equal(self.state, expected)) fail(`expected state ${show(expected)}`, self.state);
      return self;
    },
    get state() {
      const d = decision();
      return d.kind === 'apply' ? fold(decider.evolve, before, d.events) : before;
    },
    get decision() {
      return decision();
    },
  };
  return self;
}

const matches = (actual: string, expected: string | RegExp) =>
  typeof expected === 'string' ? actual.includes(expected) : expected.test(actual);

const show = (value: unknown) => JSON.stringify(value, null, 2);

function fail(expectation: string, actual: unknown): never {
  throw new SpecificationFailure(`${expectation}\nbut got ${show(actual)}`);
}

/** Structural equality over plain data; a key holding undefined counts as absent. */
export function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
  const ea = keys(a);
  const eb = new Map(keys(b));
  return ea.length === eb.size && ea.every(([k, v]) => eb.has(k) && equal(v, eb.get(k)));
}
