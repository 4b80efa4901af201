import type { MigrationBuilder } from 'node-pg-migrate';
import { createMessagingSchemaV3 } from '@choreo/messaging';

export function up(pgm: MigrationBuilder): void {
  createMessagingSchemaV3(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX inbox_dead_lettered_idx');
}
