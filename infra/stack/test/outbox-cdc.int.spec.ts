import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdmin } from '../src/kafka-admin';
import { loadStackConfig, type AggregateType, type ServiceName } from '../src/stack-config';
import { TopicCollector, type CollectedRecord } from './topic-collector';

const cfg = loadStackConfig();

interface OutboxRow {
  id: string;
  aggregatetype: AggregateType;
  aggregateid: string;
  type: string;
  payload: unknown;
  aggregate_seq: number;
  saga_id: string | null;
  causation_id: string | null;
  occurred_at: string;
  schema_version: number;
  traceparent: string | null;
}

const ENVELOPE_HEADERS = [
  'eventId',
  'eventType',
  'aggregateType',
  'aggregateId',
  'aggregateSeq',
  'sagaId',
  'causationId',
  'occurredAt',
  'schemaVersion',
  'traceparent',
];

function row(aggregatetype: AggregateType, aggregateid: string, seq: number, over: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id: randomUUID(),
    aggregatetype,
    aggregateid,
    type: `${aggregatetype}Tested`,
    aggregate_seq: seq,
    payload: { aggregateid, seq, note: 'quotes " and unicode ✓', items: [{ sku: 'SKU-1', quantity: 2 }], cents: 1999 },
    saga_id: aggregateid,
    causation_id: null,
    occurred_at: '2026-01-02T03:04:05.123456Z',
    schema_version: 1,
    traceparent: null,
    ...over,
  };
}

async function insert(c: pg.ClientBase, r: OutboxRow): Promise<void> {
  await c.query(
    `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, saga_id, causation_id,
       occurred_at, schema_version, traceparent) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      r.id,
      r.aggregatetype,
      r.aggregateid,
      r.type,
      JSON.stringify(r.payload),
      r.aggregate_seq,
      r.saga_id,
      r.causation_id,
      r.occurred_at,
      r.schema_version,
      r.traceparent,
    ],
  );
}

const cases: { service: ServiceName; aggregate: AggregateType }[] = [
  { service: 'order', aggregate: 'order' },
  { service: 'inventory', aggregate: 'reservation' },
  { service: 'inventory', aggregate: 'product' },
  { service: 'payment', aggregate: 'payment' },
];

describe('outbox → Debezium → Kafka, per service database', () => {
  let collector: TopicCollector;
  beforeAll(async () => {
    collector = await TopicCollector.start({
      brokers: cfg.services.order.kafkaBrokers,
      adminBootstrap: cfg.kafka.bootstrap,
      topics: cfg.topics.events,
    });
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each(cases)(
    'when $service-service commits a $aggregate outbox row, then it arrives once on its <aggregate>.events topic with key and envelope headers; a rolled-back row never does',
    async ({ service, aggregate }) => {
      const svc = cfg.services[service];
      const aggId = `${aggregate}-${randomUUID()}`;
      const committed = row(aggregate, aggId, 1, { causation_id: null, traceparent: null });
      const rolledBack = row(aggregate, aggId, 2, {
        causation_id: committed.id,
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      const marker = row(aggregate, aggId, 2, {
        causation_id: committed.id,
        occurred_at: '2026-01-02T03:04:05Z',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        schema_version: 2,
      });

      const client = new pg.Client({ connectionString: svc.dbUrl }); // as the service role, through its proxy
      await client.connect();
      try {
        await client.query('BEGIN');
        await insert(client, committed);
        await client.query('COMMIT');
        await client.query('BEGIN');
        await insert(client, rolledBack);
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await insert(client, marker);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }

      const topic = `${aggregate}.events`;
      const markerRec = await collector.waitForRecord((r) => r.headers['eventId'] === marker.id, `marker ${marker.id} on ${topic}`);
      // Same key ⇒ same partition ⇒ anything published for the rolled-back row would precede the marker.
      const mine = collector.matching((r) => r.key === aggId);
      expect(mine.map((r) => r.headers['eventId'])).toEqual([committed.id, marker.id]);
      expect(collector.matching((r) => r.headers['eventId'] === rolledBack.id)).toEqual([]);

      const rec = mine[0]!;
      expect(rec.topic).toBe(topic);
      expect(rec.partition).toBe(markerRec.partition);
      expect(JSON.parse(rec.value!)).toEqual(committed.payload); // an object, not an escaped string
      expect(pick(rec)).toEqual({
        eventId: committed.id,
        eventType: committed.type,
        aggregateType: aggregate,
        aggregateId: aggId,
        aggregateSeq: '1',
        sagaId: aggId,
        causationId: null,
        occurredAt: '2026-01-02T03:04:05.123456Z',
        schemaVersion: '1',
        traceparent: null,
      });
      // occurredAt always carries exactly six fraction digits (Debezium ZonedTimestamp), in UTC.
      expect(pick(markerRec)).toMatchObject({
        causationId: committed.id,
        aggregateSeq: '2',
        schemaVersion: '2',
        occurredAt: '2026-01-02T03:04:05.000000Z',
        traceparent: marker.traceparent,
      });
    },
  );

  it('when events flowed, then every record on the event topics is a routed outbox event, and no CDC topic exists besides the heartbeat ones', async () => {
    expect(collector.records.length).toBeGreaterThan(0);
    for (const r of collector.records) {
      expect(Object.keys(r.headers)).toEqual(expect.arrayContaining(ENVELOPE_HEADERS));
      expect(r.key).toBe(r.headers['aggregateId']);
      expect(r.topic).toBe(`${r.headers['aggregateType']}.events`);
      expect(r.value).not.toBeNull();
    }
    const topics = await withAdmin(cfg.kafka.bootstrap, (a) => a.listTopics());
    expect(topics.filter((t) => /\.public\./.test(t))).toEqual([]);
    expect(topics.filter((t) => /heartbeat/.test(t)).sort()).toEqual([...cfg.topics.heartbeats].sort());
  });
});

function pick(r: CollectedRecord): Record<string, string | null | undefined> {
  return Object.fromEntries(ENVELOPE_HEADERS.map((h) => [h, r.headers[h]]));
}
