import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * Version 1 of the outbox tables. Migration files call this; never edit it in place —
 * a later change is a new function and a new migration.
 *
 * Envelope fields are columns (not a jsonb blob) so Debezium's EventRouter can place each one
 * in its own Kafka header (docs/adr/0003).
 */
export function createOutboxSchemaV1(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      aggregatetype text NOT NULL,
      aggregateid text NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      aggregate_seq bigint NOT NULL,
      saga_id text,
      causation_id uuid,
      occurred_at timestamptz NOT NULL,
      schema_version int NOT NULL DEFAULT 1,
      traceparent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (aggregatetype, aggregateid, aggregate_seq)
    );
    CREATE INDEX outbox_created_at_idx ON outbox (created_at);

    -- One row per aggregate: the row lock serialises concurrent writers, so seqs have no gaps or twins.
    CREATE TABLE outbox_sequences (
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      last_seq bigint NOT NULL,
      PRIMARY KEY (aggregate_type, aggregate_id)
    );
  `);
}

/**
 * Version 2: each row records the WAL position at its insert (`wal_position`, bytes from 0/0),
 * filled by a column default so the append path does not change. A row whose position is past
 * the replication slot's `confirmed_flush_lsn` has not been captured by the connector yet,
 * which is what `choreo_outbox_uncaptured_rows` counts.
 */
export function createOutboxSchemaV2(pgm: MigrationBuilder): void {
  pgm.sql(`ALTER TABLE outbox ADD COLUMN wal_position bigint NOT NULL DEFAULT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint`);
}

/**
 * Version 3: an index on `wal_position`. The uncaptured count (`choreo_outbox_uncaptured_rows`,
 * every scrape) then reads only the rows past the slot, a handful, where it read the whole
 * retained outbox (an hour of events) each time.
 */
export function createOutboxSchemaV3(pgm: MigrationBuilder): void {
  pgm.sql('CREATE INDEX outbox_wal_position_idx ON outbox (wal_position)');
}
