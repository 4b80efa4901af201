import type { MigrationBuilder } from 'node-pg-migrate';

/** Version 1 of the consumer-side tables. Never edit in place: a change is a new version. */
export function createMessagingSchemaV1(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- Every event a consumer has seen, once, with what became of it.
    CREATE TABLE inbox (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      aggregate_seq bigint NOT NULL,
      saga_id text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'ignored', 'parked', 'dead_lettered')),
      reason text,
      source_topic text NOT NULL,
      source_partition int NOT NULL,
      source_offset bigint NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz,
      PRIMARY KEY (consumer, event_id)
    );
    CREATE INDEX inbox_saga_idx ON inbox (saga_id);

    -- Last applied seq per source aggregate: below or equal is a duplicate, above +1 is a gap.
    CREATE TABLE consumer_sequences (
      consumer text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      last_seq bigint NOT NULL,
      PRIMARY KEY (consumer, aggregate_type, aggregate_id)
    );

    -- Events that arrived before they could apply, kept whole so they can be replayed.
    CREATE TABLE parked_events (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      park_key text NOT NULL,
      reason text NOT NULL,
      headers jsonb NOT NULL,
      value text,
      source_topic text NOT NULL,
      source_partition int NOT NULL,
      source_offset bigint NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (consumer, event_id)
    );
    CREATE INDEX parked_events_key_idx ON parked_events (consumer, park_key, parked_at);
    CREATE INDEX parked_events_age_idx ON parked_events (parked_at);
  `);
}

/**
 * Version 2: when each event reached Kafka (the record's timestamp) next to when the consumer
 * fetched it (`received_at`) and settled it (`settled_at`, taken just before the commit), so
 * an event's path can be timed hop by hop from the rows themselves.
 */
export function createMessagingSchemaV2(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE inbox ADD COLUMN source_timestamp timestamptz;
    ALTER TABLE parked_events ADD COLUMN source_timestamp timestamptz;
  `);
}

/**
 * Version 3: the events a consumer dead-lettered and no redrive has applied since, found
 * without reading the whole inbox (`choreo_dead_letters_unresolved`, read at every scrape).
 */
export function createMessagingSchemaV3(pgm: MigrationBuilder): void {
  pgm.sql(`CREATE INDEX inbox_dead_lettered_idx ON inbox (consumer) WHERE outcome = 'dead_lettered'`);
}

/**
 * Version 4: a consumer batch's read and write as PL/pgSQL functions, so each connection plans
 * them once: sent as literals with BEGIN and COMMIT, the statements were planned on every batch,
 * and planning cost PostgreSQL about as much as running them. Their arguments are jsonb.
 *
 * `choreo_lock_sagas(consumer, sagas)`: the advisory locks of the sagas, one key per (consumer,
 * saga), taken in ascending key order; every saga lock is taken through it.
 *
 * `choreo_open_batch(consumer, event_ids, aggregates, sagas)`: takes the batch's saga locks,
 * then reads what the consumer already knows about it (see `openBatchSql`):
 * event ids already in the inbox, those dead-lettered, the last seq of each source aggregate
 * (rows locked), and the sagas with parked events. The read is a statement of its own, so its
 * snapshot is taken after the locks are granted.
 *
 * `choreo_settle_batch(consumer, inbox_rows, seq_rows, park_rows)`: the batch's parked events
 * (in order), inbox rows and advanced seqs, in one statement (see `batchSettlementsSql`).
 */
export function createMessagingSchemaV4(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE OR REPLACE FUNCTION choreo_lock_sagas(consumer_name text, sagas text[]) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      PERFORM pg_advisory_xact_lock(l.k) FROM (
        SELECT DISTINCT hashtextextended(consumer_name || '|' || t, 0) AS k FROM unnest(sagas) AS t ORDER BY 1
      ) AS l;
    END
    $fn$;

    CREATE OR REPLACE FUNCTION choreo_open_batch(consumer_name text, event_ids jsonb, aggregates jsonb, sagas jsonb)
      RETURNS TABLE (seen json, dead json, seqs json, parked json) LANGUAGE plpgsql AS $fn$
    DECLARE
      ids uuid[] := ARRAY(SELECT jsonb_array_elements_text(event_ids))::uuid[];
      keys text[] := ARRAY(SELECT jsonb_array_elements_text(sagas));
    BEGIN
      PERFORM choreo_lock_sagas(consumer_name, keys);
      RETURN QUERY SELECT
        (SELECT coalesce(json_agg(i.event_id), '[]') FROM inbox i WHERE i.consumer = consumer_name AND i.event_id = ANY(ids)),
        (SELECT coalesce(json_agg(i.event_id), '[]') FROM inbox i
          WHERE i.consumer = consumer_name AND i.event_id = ANY(ids) AND i.outcome = 'dead_lettered'),
        (SELECT coalesce(json_agg(json_build_array(s.aggregate_type, s.aggregate_id, s.last_seq)), '[]') FROM (
           SELECT q.aggregate_type, q.aggregate_id, q.last_seq FROM consumer_sequences q
            WHERE q.consumer = consumer_name
              AND (q.aggregate_type, q.aggregate_id) IN (SELECT a->>0, a->>1 FROM jsonb_array_elements(aggregates) AS a)
            FOR UPDATE) AS s),
        (SELECT coalesce(json_agg(DISTINCT p.park_key), '[]') FROM parked_events p
          WHERE p.consumer = consumer_name AND p.park_key = ANY(keys));
    END
    $fn$;

    CREATE OR REPLACE FUNCTION choreo_settle_batch(consumer_name text, inbox_rows jsonb, seq_rows jsonb, park_rows jsonb)
      RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO parked_events AS pe (consumer, event_id, park_key, reason, headers, value, source_topic, source_partition, source_offset)
      SELECT consumer_name, p.event_id, p.park_key, p.reason, p.headers, p.value, p.source_topic, p.source_partition, p.source_offset
        FROM jsonb_to_recordset(park_rows) AS p(n int, event_id uuid, park_key text, reason text, headers jsonb,
             value text, source_topic text, source_partition int, source_offset bigint)
       ORDER BY p.n
      ON CONFLICT (consumer, event_id) DO UPDATE SET reason = EXCLUDED.reason;

      INSERT INTO inbox AS ib (consumer, event_id, event_type, aggregate_type, aggregate_id, aggregate_seq, saga_id, outcome, reason,
                               source_topic, source_partition, source_offset, source_timestamp, received_at, settled_at)
      SELECT consumer_name, x.event_id, x.event_type, x.aggregate_type, x.aggregate_id, x.aggregate_seq, x.saga_id, x.outcome, x.reason,
             x.source_topic, x.source_partition, x.source_offset, x.source_timestamp, x.received_at,
             CASE WHEN x.outcome = 'parked' THEN NULL ELSE clock_timestamp() END
        FROM jsonb_to_recordset(inbox_rows) AS x(event_id uuid, event_type text, aggregate_type text, aggregate_id text,
             aggregate_seq bigint, saga_id text, outcome text, reason text, source_topic text, source_partition int,
             source_offset bigint, source_timestamp timestamptz, received_at timestamptz)
      ON CONFLICT (consumer, event_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason,
             source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset,
             source_timestamp = EXCLUDED.source_timestamp, received_at = EXCLUDED.received_at, settled_at = EXCLUDED.settled_at;

      INSERT INTO consumer_sequences AS cs (consumer, aggregate_type, aggregate_id, last_seq)
      SELECT consumer_name, y.aggregate_type, y.aggregate_id, y.last_seq
        FROM jsonb_to_recordset(seq_rows) AS y(aggregate_type text, aggregate_id text, last_seq bigint)
      ON CONFLICT (consumer, aggregate_type, aggregate_id) DO UPDATE SET last_seq = EXCLUDED.last_seq;
    END
    $fn$;
  `);
}
