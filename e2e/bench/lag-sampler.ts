import { lagWith } from '../invariants/consumer-lag';
import { quietKafka } from '../invariants/topic-log';

/**
 * Samples the total consumer lag (end offset − committed offset, summed over every group and
 * partition) once a second until stopped, on one admin connection. Committed offsets trail
 * processing by up to the runtime's commit interval, so about rate × interval is the floor.
 */
export function sampleLag(intervalMs = 1_000): { stop: () => Promise<number[]> } {
  const admin = quietKafka('choreo-bench-lag').admin();
  const samples: number[] = [];
  let stopped = false;
  // Caught at once (an admin that cannot connect must not crash the bench as an unhandled
  // rejection before the step ends) and thrown again by stop().
  let failure: unknown;
  const loop = (async () => {
    await admin.connect();
    while (!stopped) {
      const t = Date.now();
      try {
        samples.push((await lagWith(admin)).reduce((sum, p) => sum + p.lag, 0));
      } catch {
        // a missed sample is not a reading; the next one counts
      }
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - t))));
    }
    await admin.disconnect();
  })().catch((err: unknown) => {
    failure = err;
  });
  return {
    stop: async () => {
      stopped = true;
      await loop;
      if (failure !== undefined) throw new Error('the consumer-lag sampler failed', { cause: failure });
      return samples;
    },
  };
}
