import type { Consumer } from 'kafkajs';

export type RetryKind = 'transient' | 'handler' | 'dead_letter';

/** How one record at the head of its partition has fared so far. */
export interface RetryState {
  readonly offset: string;
  /** Attempts so far, of any kind: drives the backoff. */
  attempts: number;
  /** Non-transient handler failures: after `handlerAttempts` of them the record is dead-lettered. */
  handlerFailures: number;
  lastError: string;
  /** Set once the DLQ copy is out, so retrying the inbox write does not publish it again. */
  deadLettered: boolean;
}

/**
 * Retries without holding a kafkajs worker. kafkajs 2.x fetches a broker's next batch only once
 * every batch of the previous fetch is handled, so a record retried inside `eachMessage` would
 * stall every other partition led by that broker. Instead a failing record's partition is
 * paused and rewound to it, and resumed after the backoff; the rest keep flowing.
 */
export class PartitionRetries {
  private readonly states = new Map<string, RetryState>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly consumer: Pick<Consumer, 'pause' | 'resume' | 'seek'>) {}

  stateOf(topic: string, partition: number, offset: string): RetryState {
    const key = `${topic}\u0000${partition}`;
    const known = this.states.get(key);
    if (known?.offset === offset) return known;
    const fresh: RetryState = { offset, attempts: 0, handlerFailures: 0, lastError: '', deadLettered: false };
    this.states.set(key, fresh);
    return fresh;
  }

  settled(topic: string, partition: number): void {
    this.states.delete(`${topic}\u0000${partition}`);
  }

  /**
   * Rewinds the partition to `offset` and pauses it; resumes it after `delayMs`, or never when
   * no delay is given (shutting down: the record is left for whoever owns the partition next).
   */
  holdBack(topic: string, partition: number, offset: string, delayMs?: number): void {
    const partitions = [{ topic, partitions: [partition] }];
    this.consumer.pause(partitions);
    this.consumer.seek({ topic, partition, offset });
    if (delayMs === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.consumer.resume(partitions);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Cancels pending resumes (at shutdown). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
