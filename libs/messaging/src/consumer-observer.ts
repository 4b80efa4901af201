import { scrapedGauges } from '@choreo/platform';
import type { Registry } from 'prom-client';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { createKafka } from './kafka-client';

/** The series a consumer exports about its backlog, read when /metrics is scraped. */
export const CONSUMER_METRICS = {
  lag: 'choreo_consumer_lag',
  dlqRecords: 'choreo_dlq_records',
  parked: 'choreo_events_parked_current',
  parkedOldestAge: 'choreo_events_parked_oldest_age_seconds',
  deadLettersUnresolved: 'choreo_dead_letters_unresolved',
} as const;

export interface ConsumerObserverOptions {
  readonly consumer: string;
  readonly topics: readonly string[];
  readonly brokers: readonly string[];
  readonly pool: Pool;
  readonly registry: Registry;
  readonly logger: Logger;
}

interface Backlog {
  lag: { topic: string; partition: number; lag: number }[];
  dlq: { topic: string; records: number }[];
  parked: { count: number; oldestAgeSeconds: number };
  /** Events this consumer dead-lettered that no redrive has applied since (its inbox says `dead_lettered`). */
  deadLettersUnresolved: number;
}

/**
 * What is waiting for this consumer, as Kafka and its own tables say: lag per partition
 * (end offset − the group's committed offset), records on the DLQ topics it writes, the events
 * it dead-lettered that are still unresolved, and parked events (how many, and how long the
 * oldest has waited). Each scrape reads them once.
 */
export function observeConsumer(opts: ConsumerObserverOptions): { stop(): Promise<void> } {
  const { consumer, pool, registry } = opts;
  let admin: Admin | undefined;
  const connected = async () => {
    if (!admin) {
      const a = createKafka(`${consumer}-observer`, opts.brokers, opts.logger).admin();
      await a.connect();
      admin = a;
    }
    return admin;
  };

  const readKafka = async (): Promise<Pick<Backlog, 'lag' | 'dlq'>> => {
    const a = await connected();
    const lag: Backlog['lag'] = [];
    const committed = await a.fetchOffsets({ groupId: consumer, topics: [...opts.topics] });
    for (const { topic, partitions } of committed) {
      const ends = new Map((await a.fetchTopicOffsets(topic)).map((o) => [o.partition, o]));
      for (const p of partitions) {
        const end = ends.get(p.partition);
        if (!end) continue;
        const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
        lag.push({ topic, partition: p.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
    const dlq: Backlog['dlq'] = [];
    for (const topic of opts.topics.map((t) => `${t}.dlq`)) {
      const offsets = await a.fetchTopicOffsets(topic).catch(() => []);
      dlq.push({ topic, records: offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0) });
    }
    return { lag, dlq };
  };
  const readTables = async (): Promise<Pick<Backlog, 'parked' | 'deadLettersUnresolved'>> => {
    const { rows } = await pool.query<{ count: number; age: number | null; dead: number }>({
      name: 'choreo_consumer_backlog',
      text: `SELECT count(*)::int AS count, extract(epoch FROM now() - min(parked_at))::float8 AS age,
                    (SELECT count(*)::int FROM inbox WHERE consumer = $1 AND outcome = 'dead_lettered') AS dead
               FROM parked_events WHERE consumer = $1`,
      values: [consumer],
    });
    return { parked: { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0 }, deadLettersUnresolved: rows[0]?.dead ?? 0 };
  };

  const read = async (): Promise<Partial<Backlog>> => {
    const [kafka, parked] = await Promise.all([
      readKafka().catch((error: Error) => {
        opts.logger.debug({ err: error }, 'consumer lag not read');
        return {};
      }),
      readTables().catch(() => ({})),
    ]);
    return { ...kafka, ...parked };
  };
  const { gauge } = scrapedGauges(registry, read);
  gauge(CONSUMER_METRICS.lag, "Records on a partition past the group's committed offset", ['consumer', 'topic', 'partition'], (g, b) => {
    for (const l of b.lag ?? []) g.set({ consumer, topic: l.topic, partition: String(l.partition) }, l.lag);
  });
  gauge(
    CONSUMER_METRICS.dlqRecords,
    'Records on a dead-letter topic this consumer writes (retained, redriven or not)',
    ['consumer', 'topic'],
    (g, b) => {
      for (const d of b.dlq ?? []) g.set({ consumer, topic: d.topic }, d.records);
    },
  );
  gauge(
    CONSUMER_METRICS.deadLettersUnresolved,
    'Events this consumer dead-lettered that no redrive has applied since; their sagas wait on them',
    ['consumer'],
    (g, b) => {
      if (b.deadLettersUnresolved !== undefined) g.set({ consumer }, b.deadLettersUnresolved);
    },
  );
  gauge(CONSUMER_METRICS.parked, 'Events parked right now, waiting for an earlier one', ['consumer'], (g, b) => {
    if (b.parked) g.set({ consumer }, b.parked.count);
  });
  gauge(CONSUMER_METRICS.parkedOldestAge, 'How long the oldest parked event has waited (0 when none)', ['consumer'], (g, b) => {
    if (b.parked) g.set({ consumer }, b.parked.oldestAgeSeconds);
  });

  return {
    async stop() {
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
