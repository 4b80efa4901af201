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
