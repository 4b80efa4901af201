import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE payments (
      order_id text PRIMARY KEY,
      -- Unknown (null) when the cancellation arrived before OrderPlaced told us who pays what.
      customer_id text,
      status text NOT NULL CHECK (status IN
        ('AWAITING_RESERVATION', 'AUTHORIZED', 'DECLINED', 'CAPTURED', 'REFUNDED', 'CANCELLED_BEFORE_CHARGE')),
      amount_cents bigint CHECK (amount_cents >= 0),
      state jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE accounts (
      customer_id text PRIMARY KEY,
      balance_cents bigint NOT NULL CHECK (balance_cents >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every balance movement, signed: balance = sum(amount_cents) per customer.
    CREATE TABLE ledger (
      id bigserial PRIMARY KEY,
      customer_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('FUNDING', 'CHARGE', 'REFUND')),
      amount_cents bigint NOT NULL,
      order_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'FUNDING') = (order_id IS NULL)),
      CHECK (kind <> 'CHARGE' OR amount_cents <= 0),
      CHECK (kind <> 'REFUND' OR amount_cents >= 0)
    );
    -- The database itself refuses a second charge (or a second refund) for one order, whatever the code does.
    CREATE UNIQUE INDEX ledger_one_charge_per_order_idx ON ledger (order_id) WHERE kind = 'CHARGE';
    CREATE UNIQUE INDEX ledger_one_refund_per_order_idx ON ledger (order_id) WHERE kind = 'REFUND';
    CREATE INDEX ledger_customer_idx ON ledger (customer_id, id);
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE ledger, accounts, payments');
}
