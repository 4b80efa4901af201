import { context, type Context } from '@opentelemetry/api';

export interface GroupCommitOptions {
  /** Transactions in flight at once; batches handed in meanwhile wait and go together in the next. */
  readonly transactions: number;
  /** Most records one transaction takes; a batch is never split, so one larger than this goes alone. */
  readonly maxRecords: number;
}

interface Waiting<R, S> {
  readonly records: readonly R[];
  /** The hand-in's trace context: a transaction runs in its first batch's. */
  readonly context: Context;
  readonly resolve: (settlements: S[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the batches of concurrent partitions. `settle` runs records in one
 * transaction and returns one settlement per record, in order. While `transactions` of them
 * are in flight, the batches other partitions hand in wait, and the next transaction takes
 * them together (up to `maxRecords`): one BEGIN, one saga-lock statement, one knowledge read,
 * one inbox write and one COMMIT for all of them. A batch handed in while a transaction is free
 * starts at once, so an unloaded consumer waits for nothing.
 *
 * Each batch keeps its records in order; batches of different partitions never depended on
 * each other's order (saga locks order them per saga, and parking covers a saga's races), so
 * settling them in one transaction is one of the interleavings separate transactions allowed.
 * When a transaction of several batches fails, each batch is settled again alone, so the
 * failure reaches only the batch that caused it (a handler error then goes record by record,
 * a transient one is retried) and the others are not held back by it.
 */
export function createGroupCommit<R, S>(
  settle: (records: readonly R[]) => Promise<S[]>,
  opts: GroupCommitOptions,
): (records: readonly R[]) => Promise<S[]> {
  const waiting: Waiting<R, S>[] = [];
  let inFlight = 0;

  const alone = (batch: Waiting<R, S>) => context.with(batch.context, () => settle(batch.records)).then(batch.resolve, batch.reject);

  async function run(group: Waiting<R, S>[]): Promise<void> {
    if (group.length === 1) return alone(group[0]!);
    let settlements: S[];
    try {
      settlements = await context.with(group[0]!.context, () => settle(group.flatMap((batch) => batch.records)));
    } catch {
      for (const batch of group) await alone(batch);
      return;
    }
    let at = 0;
    for (const batch of group) {
      batch.resolve(settlements.slice(at, at + batch.records.length));
      at += batch.records.length;
    }
  }

  function take(): Waiting<R, S>[] {
    const group = [waiting.shift()!];
    let records = group[0]!.records.length;
    while (waiting.length > 0 && records + waiting[0]!.records.length <= opts.maxRecords) {
      records += waiting[0]!.records.length;
      group.push(waiting.shift()!);
    }
    return group;
  }

  function next(): void {
    while (inFlight < opts.transactions && waiting.length > 0) {
      inFlight++;
      void run(take()).finally(() => {
        inFlight--;
        next();
      });
    }
  }

  return (records) =>
    new Promise<S[]>((resolve, reject) => {
      waiting.push({ records, context: context.active(), resolve, reject });
      next();
    });
}
