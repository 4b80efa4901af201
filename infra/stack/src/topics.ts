import { withAdmin } from './kafka-admin';
import type { StackConfig } from './stack-config';
import { log } from './stack-log';

const HEARTBEAT_CONFIG = [
  { name: 'cleanup.policy', value: 'delete' },
  { name: 'retention.ms', value: String(3_600_000) },
  { name: 'segment.ms', value: String(600_000) },
];

/**
 * Creates the event topics and their .dlq twins (idempotent; grows partitions, never shrinks),
 * and one small heartbeat topic per connector: Connect commits a source offset only for a
 * record it produced, so Debezium heartbeats must land somewhere for an idle DB's slot to advance.
 */
export async function ensureTopics(cfg: StackConfig): Promise<void> {
  const want = cfg.topics.partitions;
  await withAdmin(
    cfg.kafka.bootstrap,
    async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = cfg.topics.all.filter((t) => !existing.has(t));
      const missingHeartbeats = cfg.topics.heartbeats.filter((t) => !existing.has(t));
      if (missing.length + missingHeartbeats.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            ...missing.map((topic) => ({ topic, numPartitions: want, replicationFactor: 1 })),
            ...missingHeartbeats.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1, configEntries: HEARTBEAT_CONFIG })),
          ],
        });
        log(`created topics ${[...missing, ...missingHeartbeats].join(', ')}`);
      }
      const meta = await admin.fetchTopicMetadata({ topics: cfg.topics.all });
      const grow = meta.topics.filter((t) => t.partitions.length < want);
      if (grow.length > 0) {
        await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: want })) });
        log(`grew ${grow.map((t) => t.name).join(', ')} to ${want} partitions`);
      }
    },
    30_000,
  );
}
