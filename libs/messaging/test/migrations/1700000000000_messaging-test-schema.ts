import type { MigrationBuilder } from 'node-pg-migrate';
import {
  createMessagingSchemaV1,
  createMessagingSchemaV2,
  createMessagingSchemaV3,
  createMessagingSchemaV4,
} from '../../src/messaging.schema';
import { createOutboxSchemaV1, createOutboxSchemaV4 } from '@choreo/outbox';

/** The library tables, plus `effects`: one row per handler application, deliberately without a unique key. */
export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV1(pgm);
  createOutboxSchemaV4(pgm);
  createMessagingSchemaV1(pgm);
  createMessagingSchemaV2(pgm);
  createMessagingSchemaV3(pgm);
  createMessagingSchemaV4(pgm);
  pgm.sql(`
    CREATE TABLE effects (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      aggregate_id text NOT NULL,
      seq bigint NOT NULL,
      saga_id text NOT NULL,
      applied_by text NOT NULL DEFAULT '',
      applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
  `);
}
