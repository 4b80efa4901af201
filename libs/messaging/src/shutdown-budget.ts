import type { Logger } from 'pino';
import { pause } from './backoff';

/** One deadline for the whole shutdown: each step gets what the earlier ones left. */
export class ShutdownBudget {
  private readonly deadline: number;

  constructor(
    private readonly totalMs: number,
    private readonly logger: Logger,
  ) {
    this.deadline = Date.now() + totalMs;
  }

  async spend(what: string, work: Promise<unknown>): Promise<void> {
    const timedOut = Symbol('timeout');
    const done = new AbortController(); // so the timer does not keep the process alive afterwards
    const left = Math.max(0, this.deadline - Date.now());
    const result = await Promise.race([work.catch(() => undefined), pause(left, done.signal).then(() => timedOut)]);
    done.abort();
    if (result === timedOut) this.logger.error({ budgetMs: this.totalMs }, `shutdown: out of time waiting for ${what}`);
  }
}
