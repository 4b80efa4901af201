import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A pause for the event loop, taken at most every `everyMs` of a long run of work that only
 * awaits settled promises (a batch whose handlers load from memory): the service's HTTP requests
 * and Kafka heartbeats then wait at most that long behind it.
 */
export function ioBreaks(everyMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < everyMs) return;
    await nextTurn();
    since = performance.now();
  };
}
