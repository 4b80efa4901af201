import { execute, type Decider, type Execution } from '@choreo/domain-kernel';
import { appendToOutbox, type Causation, type OutgoingEvent } from '@choreo/outbox';
import type { PoolClient } from 'pg';

/** An execution that applied events: what `save` stores. */
export type Applied<S, E, P extends E> = Extract<Execution<S, E, P>, { readonly kind: 'apply' }>;

/**
 * What a service declares for one aggregate; `decideAndStore` does the rest. `R` is what callers
 * pass and `I` what the decider is asked; they differ only when the input needs something read
 * under the aggregate's lock (inventory: the stock an order needs).
 */
export interface AggregateStore<R, I, S, E, P extends E> {
  readonly decider: Decider<I, S, E, P>;
  /** Loads the state with its row lock (FOR UPDATE), so concurrent deciders of one aggregate queue. */
  readonly load: (tx: PoolClient, request: R) => Promise<{ readonly state: S; readonly input: I }>;
  /** Stores what was decided; `before` is the state it was decided on. */
  readonly save: (tx: PoolClient, applied: Applied<S, E, P>, before: S) => Promise<void>;
  /** Domain events are not contracts: the one place a published event becomes its outbox row. */
  readonly toOutgoing: (event: P) => OutgoingEvent;
}

export interface DecideOptions {
  /** The consumed event's envelope fields (`causationOf`); none for an HTTP command or a timer. */
  readonly causation?: Causation;
  readonly now?: Date;
}

/**
 * The one way an aggregate changes, inside the caller's transaction: load under the row lock,
 * decide and evolve (`execute`), save, append the published events to the outbox. HTTP commands,
 * consumers and timers all come through here. The execution is a messaging `Outcome` as it is
 * (apply, or ignore/park with a reason), so a consumer returns it unchanged.
 */
export async function decideAndStore<R, I, S, E, P extends E>(
  tx: PoolClient,
  aggregate: AggregateStore<R, I, S, E, P>,
  request: R,
  opts: DecideOptions = {},
): Promise<Execution<S, E, P>> {
  const now = opts.now ?? new Date();
  const { state, input } = await aggregate.load(tx, request);
  const execution = execute(aggregate.decider, state, input, { now });
  if (execution.kind !== 'apply') return execution;
  await aggregate.save(tx, execution, state);
  await appendToOutbox(
    tx,
    execution.published.map((event) => aggregate.toOutgoing(event)),
    opts.causation,
    now,
  );
  return execution;
}
