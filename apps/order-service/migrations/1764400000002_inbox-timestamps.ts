import type { MigrationBuilder } from 'node-pg-migrate';
import { createMessagingSchemaV2 } from '@choreo/messaging';

export function up(pgm: MigrationBuilder): void {
  createMessagingSchemaV2(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE inbox DROP COLUMN source_timestamp; ALTER TABLE parked_events DROP COLUMN source_timestamp');
}
