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

/**
 * Version 4: `outbox_append(rows jsonb)`, the one statement that writes a transaction's outbox
 * rows (`appendToOutbox`), as a PL/pgSQL function so each connection plans it once. Sent as a
 * literal with the COMMIT, the statement itself was planned on every call, and planning cost
 * PostgreSQL about as much as running it. Seqs are taken per aggregate with one upsert of
 * `outbox_sequences` (in key order, so two writers lock them in the same order) whose row lock
 * makes concurrent writers of one aggregate queue behind each other; each row gets the next seq
 * of its aggregate in the order it was appended (`n`), and rows are inserted in that order too,
 * which is the order Debezium reads them from the WAL. A rolled-back transaction returns its
 * seqs, so there are no gaps.
 */
export function createOutboxSchemaV4(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE OR REPLACE FUNCTION outbox_append(batch jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      WITH appended AS (
        SELECT * FROM jsonb_to_recordset(batch)
          AS r(n int, id uuid, aggregatetype text, aggregateid text, type text, payload jsonb, saga_id text, causation_id uuid,
               occurred_at timestamptz, schema_version int, traceparent text)
      ), counted AS (
        SELECT a.aggregatetype, a.aggregateid, count(*) AS k FROM appended a GROUP BY a.aggregatetype, a.aggregateid
      ), seq AS (
        INSERT INTO outbox_sequences AS s (aggregate_type, aggregate_id, last_seq)
        SELECT c.aggregatetype, c.aggregateid, c.k FROM counted c ORDER BY c.aggregatetype, c.aggregateid
        ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
        RETURNING s.aggregate_type, s.aggregate_id, s.last_seq
      )
      INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, saga_id, causation_id,
                          occurred_at, schema_version, traceparent)
      SELECT a.id, a.aggregatetype, a.aggregateid, a.type, a.payload,
             seq.last_seq - c.k + row_number() OVER (PARTITION BY a.aggregatetype, a.aggregateid ORDER BY a.n),
             a.saga_id, a.causation_id, a.occurred_at, a.schema_version, a.traceparent
        FROM appended a
        JOIN counted c ON c.aggregatetype = a.aggregatetype AND c.aggregateid = a.aggregateid
        JOIN seq ON seq.aggregate_type = a.aggregatetype AND seq.aggregate_id = a.aggregateid
       ORDER BY a.n;
    END
    $fn$
  `);
}
