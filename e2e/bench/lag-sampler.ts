import { CONSUMED_TOPICS, CONSUMER_GROUPS } from '@choreo/contracts';
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
  const groups = Object.entries(CONSUMER_GROUPS).map(([service, group]) => ({
    group,
    topics: [...CONSUMED_TOPICS[service as keyof typeof CONSUMED_TOPICS]],
  }));
  const topics = [...new Set(groups.flatMap((g) => g.topics))];
  const sample = async () => {
    const ends = new Map<string, number>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, Number(p.high));
    let lag = 0;
    for (const { group, topics: mine } of groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics: mine })) {
        for (const p of partitions) lag += Math.max(0, (ends.get(`${topic}/${p.partition}`) ?? 0) - Math.max(0, Number(p.offset)));
      }
    }
    return lag;
  };
  const loop = (async () => {
    await admin.connect();
    while (!stopped) {
      const t = Date.now();
      try {
        samples.push(await sample());
      } catch {
        // a missed sample is not a reading; the next one counts
      }
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - t))));
    }
    await admin.disconnect();
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return samples;
    },
  };
}
