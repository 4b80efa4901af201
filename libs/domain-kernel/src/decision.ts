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

/**
 * Whose move it is. `invalid`, `not-found` and `conflict` reject direct input the caller can act
 * on; `invariant` is a rule of ours that broke: a bug, which no caller can fix.
 */
export type ViolationKind = 'invalid' | 'not-found' | 'conflict' | 'invariant';

/**
 * Thrown only for bad direct input (a rejection) or a broken invariant (a bug), never for a saga
 * failure. `code` is stable (ORDER.NOT_FOUND); edges render it by `kind`, one policy for all.
 */
export class DomainRuleViolation extends Error {
  constructor(
    readonly kind: ViolationKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainRuleViolation';
  }

  static invalid(code: string, message: string): DomainRuleViolation {
    return new DomainRuleViolation('invalid', code, message);
  }
  static notFound(code: string, message: string): DomainRuleViolation {
    return new DomainRuleViolation('not-found', code, message);
  }
  static conflict(code: string, message: string): DomainRuleViolation {
    return new DomainRuleViolation('conflict', code, message);
  }
  static invariant(code: string, message: string): DomainRuleViolation {
    return new DomainRuleViolation('invariant', code, message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}

/** Folds events onto a state with the decider's evolve. */
export const fold = <S, E>(evolve: (state: S, event: E) => S, initial: S, events: readonly E[]): S => events.reduce(evolve, initial);
