import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- stocked = everything ever put on the shelf; conservation: available + reserved + sold = stocked.
    CREATE TABLE products (
      sku text PRIMARY KEY,
      name text NOT NULL,
      price_cents bigint NOT NULL CHECK (price_cents >= 0),
      available int NOT NULL CHECK (available >= 0),
      reserved int NOT NULL DEFAULT 0 CHECK (reserved >= 0),
      sold int NOT NULL DEFAULT 0 CHECK (sold >= 0),
      stocked bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (available + reserved + sold = stocked)
    );

    CREATE TABLE reservations (
      order_id text PRIMARY KEY,
      status text NOT NULL,
      state jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE reservations, products');
}
