import type { MigrationBuilder } from 'node-pg-migrate';
import { createOutboxSchemaV3 } from '@choreo/outbox';

export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV3(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX outbox_wal_position_idx');
}
