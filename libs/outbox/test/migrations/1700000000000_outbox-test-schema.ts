import type { MigrationBuilder } from 'node-pg-migrate';
import { createOutboxSchemaV1, createOutboxSchemaV4 } from '../../src/outbox.schema';

export function up(pgm: MigrationBuilder): void {
  createOutboxSchemaV1(pgm);
  createOutboxSchemaV4(pgm);
}
