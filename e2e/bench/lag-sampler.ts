import { consumerLag } from '../invariants/consumer-lag';
import { quietKafka } from '../invariants/topic-log';

/**
 * Samples the total consumer lag (end offset − committed offset, summed over every group and
 * partition) once a second until stopped. Committed offsets trail processing by up to the
 * runtime's commit interval, so a lag of about rate × interval is the floor, not a backlog.
 */
export function sampleLag(intervalMs = 1_000): { stop: () => Promise<number[]> } {
  const kafka = quietKafka('choreo-bench-lag');
  const samples: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      try {
        samples.push((await consumerLag(undefined, kafka)).reduce((s, p) => s + p.lag, 0));
      } catch {
        // a missed sample is not a reading; the next one counts
      }
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - t))));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return samples;
    },
  };
}
