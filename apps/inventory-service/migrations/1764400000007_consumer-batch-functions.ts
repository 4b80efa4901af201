import type { MigrationBuilder } from 'node-pg-migrate';
import { createMessagingSchemaV4 } from '@choreo/messaging';

export function up(pgm: MigrationBuilder): void {
  createMessagingSchemaV4(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(
    'DROP FUNCTION choreo_open_batch(text, jsonb, jsonb, jsonb); DROP FUNCTION choreo_settle_batch(text, jsonb, jsonb, jsonb); DROP FUNCTION choreo_lock_sagas(text, text[])',
  );
}
