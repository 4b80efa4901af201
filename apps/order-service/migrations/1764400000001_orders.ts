import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE orders (
      order_id text PRIMARY KEY,
      customer_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED')),
      state jsonb NOT NULL,
      total_cents bigint NOT NULL,
      deadline_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- The deadline sweeper only ever looks at open sagas.
    CREATE INDEX orders_open_deadline_idx ON orders (deadline_at) WHERE status IN ('PENDING', 'AWAITING_PAYMENT');

    CREATE TABLE idempotency_keys (
      key text PRIMARY KEY,
      request_hash text NOT NULL,
      order_id text NOT NULL REFERENCES orders (order_id) DEFERRABLE INITIALLY DEFERRED,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Catalog replica fed by product.events; prices orders.
    CREATE TABLE catalog (
      sku text PRIMARY KEY,
      name text NOT NULL,
      price_cents bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE idempotency_keys, orders, catalog');
}
