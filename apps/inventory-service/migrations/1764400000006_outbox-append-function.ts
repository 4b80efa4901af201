import type { MigrationBuilder } from 'node-pg-migrate';
import { createOutboxSchemaV4 } from '@choreo/outbox';

export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV4(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP FUNCTION outbox_append(jsonb)');
}
