import { withAdmin } from './kafka-admin';
import type { StackConfig } from './stack-config';
import { log } from './stack-log';

/** Creates the event topics and their .dlq twins (idempotent; grows partitions, never shrinks). */
export async function ensureTopics(cfg: StackConfig): Promise<void> {
  const want = cfg.topics.partitions;
  await withAdmin(cfg.kafka.bootstrap, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = cfg.topics.all.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: want, replicationFactor: 1 })),
      });
      log(`created topics ${missing.join(', ')}`);
    }
    const meta = await admin.fetchTopicMetadata({ topics: cfg.topics.all });
    const grow = meta.topics.filter((t) => t.partitions.length < want);
    if (grow.length > 0) {
      await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: want })) });
      log(`grew ${grow.map((t) => t.name).join(', ')} to ${want} partitions`);
    }
  }, 30_000);
}
