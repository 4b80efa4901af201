import type { Admin, Kafka } from 'kafkajs';
import { CONSUMED_TOPICS, CONSUMER_GROUPS, SERVICE_NAMES } from '@choreo/contracts';
import { withAdmin, type GroupLag } from '@choreo/testing';
import { quietKafka } from './topic-log';

/** Each service's consumer group and the topics it subscribes to. */
export const GROUP_TOPICS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  SERVICE_NAMES.map((s) => [CONSUMER_GROUPS[s], CONSUMED_TOPICS[s]]),
);

/**
 * Per group and partition: end offset − committed offset, read with the admin client on the
 * broker's direct listener. A partition the group never committed counts from its start.
 */
export async function consumerLag(groups = GROUP_TOPICS, kafka: Kafka = quietKafka('choreo-chaos-lag')): Promise<GroupLag[]> {
  return withAdmin((admin) => lagWith(admin, groups), kafka);
}

/** The same on an admin client the caller keeps connected (a sampler reading it every second). */
export async function lagWith(admin: Admin, groups = GROUP_TOPICS): Promise<GroupLag[]> {
  const lag: GroupLag[] = [];
  for (const [group, topics] of Object.entries(groups)) {
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
        const from = at >= 0 ? at : Number(end.low);
        lag.push({ group, topic, partition: end.partition, lag: Number(end.high) - from });
      }
    }
  }
  return lag;
}
