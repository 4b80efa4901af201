import { fold, type DeciderContext, type Decision } from './decision';

/**
 * A state-stored decider. Services persist the state row, not an event stream, so some
 * events exist only to move state: they are *recorded* (evolve folds them, nobody else sees
 * them). The rest are *published*: they go to the outbox and get an aggregateSeq.
 * `isPublished` is the single place that draws the line, so a service never guesses.
 */
export interface Decider<I, S, E, P extends E = E> {
  readonly initialState: S;
  readonly decide: (input: I, state: S, ctx: DeciderContext) => Decision<E>;
  readonly evolve: (state: S, event: E) => S;
  readonly isPublished: (event: E) => event is P;
}

/** A decision folded into the new state: what a service stores and appends to its outbox. */
export type Execution<S, E, P extends E> =
  | {
      readonly kind: 'apply';
      readonly state: S;
      /** Everything decided, in order; fold these, they are already folded into `state`. */
      readonly events: readonly E[];
      /** The subset for the outbox; aggregateSeq counts only these, so seqs stay gapless. */
      readonly published: readonly P[];
    }
  /** `state` is the state decided on, unchanged: a caller can answer with it without reading it again. */
  | { readonly kind: 'ignore'; readonly reason: string; readonly state: S }
  | { readonly kind: 'park'; readonly reason: string; readonly state: S };

/** decide + evolve in one step: what a service does inside its transaction. */
export function execute<I, S, E, P extends E>(decider: Decider<I, S, E, P>, state: S, input: I, ctx: DeciderContext): Execution<S, E, P> {
  const decision = decider.decide(input, state, ctx);
  if (decision.kind !== 'apply') return { ...decision, state };
  return {
    kind: 'apply',
    state: fold(decider.evolve, state, decision.events),
    events: decision.events,
    published: decision.events.filter(decider.isPublished),
  };
}
