import { Kafka, logLevel, type Admin } from 'kafkajs';

/** A short-lived kafkajs admin on the direct listener. kafkajs' own logging is silenced. */
export async function withAdmin<T>(bootstrap: string, fn: (a: Admin) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const kafka = new Kafka({
    clientId: 'choreo-stack',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Ready means serving, not merely listening: a broker is registered and every partition of
 * every existing topic has a leader again (right after a restart, clients would otherwise get
 * NOT_LEADER_OR_FOLLOWER for a few seconds).
 */
export async function kafkaReady(bootstrap: string): Promise<boolean> {
  try {
    return await withAdmin(bootstrap, async (a) => {
      if ((await a.describeCluster()).brokers.length === 0) return false;
      const topics = await a.listTopics();
      if (topics.length === 0) return true;
      const { topics: metadata } = await a.fetchTopicMetadata({ topics });
      return metadata.every((t) => t.partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0));
    });
  } catch {
    return false;
  }
}
