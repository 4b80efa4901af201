/**
 * The vocabulary every decider speaks. A decision is data, never an exception:
 * saga failures (out of stock, declined, timed out) are events others compensate on.
 */
export type Decision<E> =
  | { readonly kind: 'apply'; readonly events: readonly E[] }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string };

export const apply = <E>(...events: E[]): Decision<E> => ({ kind: 'apply', events });
export const ignore = <E = never>(reason: string): Decision<E> => ({ kind: 'ignore', reason });
export const park = <E = never>(reason: string): Decision<E> => ({ kind: 'park', reason });

/** Time and identity come in from the edge so deciders stay pure and replayable. */
export interface DeciderContext {
  readonly now: Date;
}

/** Thrown only for a broken invariant (a bug) or bad direct input, never for a saga failure. */
export class DomainRuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainRuleViolation';
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}

/** Folds events onto a state with the decider's evolve. */
export const fold = <S, E>(evolve: (state: S, event: E) => S, initial: S, events: readonly E[]): S =>
  events.reduce(evolve, initial);
