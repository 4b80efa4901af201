import { Kafka, logLevel, type Admin } from 'kafkajs';

/** A short-lived kafkajs admin on the direct listener. kafkajs' own logging is silenced. */
export async function withAdmin<T>(bootstrap: string, fn: (a: Admin) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const kafka = new Kafka({
    clientId: 'choreo-stack', brokers: [bootstrap], logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs, requestTimeout: timeoutMs, retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function kafkaReady(bootstrap: string): Promise<boolean> {
  try {
    return await withAdmin(bootstrap, async (a) => (await a.describeCluster()).brokers.length > 0);
  } catch {
    return false;
  }
}
