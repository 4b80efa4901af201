import type { MigrationBuilder } from 'node-pg-migrate';
import { createOutboxSchemaV2 } from '@choreo/outbox';

export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV2(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE outbox DROP COLUMN wal_position');
}
