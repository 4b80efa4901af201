import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

interface Pending {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read: last settled offset + 1, as Kafka commits it. */
  readonly offset: string;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The runtime commits offsets itself (kafkajs autoCommit is off, because kafkajs would also
 * commit at the end of every fetched batch, whatever the interval). Only settled records —
 * DB transaction committed, or dead-lettered — are ever marked, and a partition's mark only
 * moves forward, so a commit never claims a record nobody processed. A mark is forgotten only
 * once kafkajs reports the commit done (`confirmed`, from its COMMIT_OFFSETS event): kafkajs
 * resolves `commitOffsets` without committing anything while its runner restarts after a crash.
 */
export class OffsetTracker {
  private readonly pending = new Map<string, Pending>();
  private chain: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly logger: Logger,
  ) {}

  settled(topic: string, partition: number, offset: string): void {
    const key = keyOf(topic, partition);
    const next = BigInt(offset) + 1n;
    const current = this.pending.get(key);
    if (!current || BigInt(current.offset) < next) this.pending.set(key, { topic, partition, offset: next.toString() });
  }

  /** Forgets partitions this member no longer owns: their new owner resumes from the last commit. */
  retain(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, p] of this.pending) if (!assignment[p.topic]?.includes(p.partition)) this.pending.delete(key);
  }

  /** Called with what the group coordinator accepted; drops the marks it covers. */
  confirmed(topics: readonly { topic: string; partitions: readonly { partition: number; offset: unknown }[] }[]): void {
    for (const { topic, partitions } of topics) {
      for (const { partition, offset } of partitions) {
        const key = keyOf(topic, partition);
        const pending = this.pending.get(key);
        if (pending && BigInt(pending.offset) <= BigInt(String(offset))) this.pending.delete(key);
      }
    }
  }

  /** What is still uncommitted, for diagnostics and tests. */
  uncommitted(): readonly Pending[] {
    return [...this.pending.values()];
  }

  /** A periodic commit; skipped while one is still in flight so slow brokers do not queue them up. */
  tick(): void {
    if (!this.busy) void this.flush();
  }

  /** Commits everything settled so far. Never throws: a failed commit only means a redelivery. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.commit());
    return this.chain;
  }

  private async commit(): Promise<void> {
    const batch = [...this.pending.entries()];
    if (batch.length === 0) return;
    this.busy = true;
    try {
      await this.consumer.commitOffsets(batch.map(([, p]) => ({ topic: p.topic, partition: p.partition, offset: p.offset })));
    } catch (error) {
      this.logger.warn(
        { err: error, partitions: batch.length },
        'offset commit failed; the next flush retries (a crash meanwhile only redelivers)',
      );
    } finally {
      this.busy = false;
    }
  }
}
