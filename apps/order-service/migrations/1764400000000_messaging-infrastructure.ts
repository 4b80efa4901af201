import type { MigrationBuilder } from 'node-pg-migrate';
import { createMessagingSchemaV1 } from '@choreo/messaging';
import { createOutboxSchemaV1 } from '@choreo/outbox';

export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV1(pgm);
  createMessagingSchemaV1(pgm);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE parked_events, consumer_sequences, inbox, outbox_sequences, outbox');
}
