import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  committedOffsets,
  createTempDatabase,
  createTestTopics,
  deleteTopics,
  endOffsets,
  eventRecord,
  loadStackConfig,
  MIGRATIONS_DIR,
  payloads,
  produce,
  scrapeMetric,
  spawnTsx,
  uniqueId,
  waitFor,
  waitForCommittedToEnd,
  type ChildHandle,
  type TempDatabase,
  type TestTopic,
} from './consumer-harness';

const CHILD = fileURLToPath(new URL('./consumer-child.ts', import.meta.url));

describe('consumer runtime: crash between DB commit and offset commit (real processes, Postgres and Kafka)', () => {
  let db: TempDatabase | undefined;
  let topics: TestTopic[] = [];
  const children: ChildHandle[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
    await db?.drop();
    await deleteTopics(topics).catch(() => undefined);
    db = undefined;
    topics = [];
  });

  it('when a consumer is SIGKILLed after its DB commits but before its offset commit, then the redelivery is absorbed by the inbox', async () => {
    db = await createTempDatabase({ migrationsDir: MIGRATIONS_DIR });
    topics = await createTestTopics({ partitions: 3 });
    const { topic } = topics[0]!;
    const group = uniqueId('it-crash');
    const orderIds = Array.from({ length: 10 }, () => uniqueId('o'));
    const records = orderIds.flatMap((orderId, i) => [
      eventRecord({ type: 'OrderPlaced', payload: payloads.placed(orderId), aggregateId: orderId, seq: 1, partition: i % 3 }),
      eventRecord({ type: 'OrderConfirmed', payload: payloads.confirmed(orderId), aggregateId: orderId, seq: 2, partition: i % 3 }),
      eventRecord({ type: 'OrderCancelled', payload: { orderId, reason: 'TIMEOUT' }, aggregateId: orderId, seq: 3, partition: i % 3 }),
    ]);
    await produce(topic, records);
    const pool = db.pool({ max: 2 });
    const effects = async () =>
      (await pool.query<{ event_id: string; applied_by: string }>('SELECT event_id, applied_by FROM effects')).rows;
    const env = (label: string, commitIntervalMs: number) => ({
      env: {
        DATABASE_URL: db!.url,
        BROKERS: loadStackConfig().kafka.bootstrap,
        TOPIC: topic,
        GROUP: group,
        LABEL: label,
        COMMIT_INTERVAL_MS: String(commitIntervalMs),
        SESSION_TIMEOUT_MS: '6000',
      },
    });

    const first = spawnTsx(CHILD, env('A', 10 * 60_000));
    children.push(first);
    await first.waitForJson<{ ready?: boolean }>((l) => l.ready === true, { timeoutMs: 30_000, description: 'consumer A started' });
    await waitFor(async () => (await effects()).length === records.length, { timeoutMs: 30_000, description: 'A applied every event' });
    const ends = await endOffsets(topic);
    const committedBeforeCrash = await committedOffsets(group, topic);
    for (const [partition, end] of ends) expect(committedBeforeCrash.get(partition), `partition ${partition}`).toBeLessThan(end);
    await first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = spawnTsx(CHILD, env('B', 200));
    children.push(second);
    const { metricsPort } = await second.waitForJson<{ ready?: boolean; metricsPort: number }>((l) => l.ready === true, {
      timeoutMs: 30_000,
      description: 'consumer B started',
    });
    const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitFor(async () => (await scrapeMetric(metrics, 'choreo_messages_duplicates_total', { kind: 'inbox' })) === records.length, {
      timeoutMs: 60_000,
      description: 'B absorbed every redelivery',
    });
    const rows = await effects();
    expect(rows).toHaveLength(records.length);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(records.length);
    expect(new Set(rows.map((r) => r.applied_by))).toEqual(new Set(['A']));
    expect(await scrapeMetric(metrics, 'choreo_messages_processed_total', { outcome: 'applied' })).toBe(0);

    await waitForCommittedToEnd(group, topic);
    await second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
