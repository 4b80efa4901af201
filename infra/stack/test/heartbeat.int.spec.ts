import { describe, expect, it } from 'vitest';
import { withPg } from '../src/pg-client';
import { loadStackConfig, SERVICES } from '../src/stack-config';
import { waitFor } from '../src/wait';

const cfg = loadStackConfig();

describe('Debezium heartbeats', () => {
  it('when WAL grows elsewhere and a service DB stays idle, then its replication slot still advances past it (no pinned WAL)', async () => {
    // WAL written by another database of the same instance: the idle DBs' slots see nothing of it.
    const target = await withPg(cfg.pg.superUrl, async (c) => {
      await c.query('CREATE TABLE IF NOT EXISTS stack_wal_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
      await c.query('INSERT INTO stack_wal_probe DEFAULT VALUES');
      await c.query('DELETE FROM stack_wal_probe');
      return (await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    });
    const slots = SERVICES.map((s) => cfg.services[s].connector.slot);
    // heartbeat.interval.ms=5000 + offset flush 1000 ms: each slot should confirm past `target` within ~10 s.
    const lag = await waitFor(
      () =>
        withPg(cfg.pg.superUrl, async (c) => {
          const r = await c.query<{ slot_name: string; behind: boolean }>(
            `SELECT slot_name, confirmed_flush_lsn < $1::pg_lsn AS behind FROM pg_replication_slots WHERE slot_name = ANY($2)`,
            [target, slots],
          );
          return r.rows.length === slots.length && r.rows.every((x) => !x.behind) ? r.rows : undefined;
        }),
      { timeoutMs: 45_000, intervalMs: 500, what: `slots ${slots.join(', ')} confirming past ${target}` },
    );
    expect(lag.map((r) => r.slot_name).sort()).toEqual([...slots].sort());
  });
});
