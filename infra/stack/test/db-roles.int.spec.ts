import { describe, expect, it } from 'vitest';
import { withPg } from '../src/pg-client';
import { loadStackConfig } from '../src/stack-config';

const cfg = loadStackConfig();
const url = (user: string, pass: string, db: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${cfg.pg.host}:${cfg.pg.port}/${db}`;

describe('database roles (docs/architecture.md §7)', () => {
  it("when a service role connects to another service's database or to postgres, then it is refused", async () => {
    const order = cfg.services.order;
    await expect(withPg(url(order.user, order.password, cfg.services.inventory.db), (c) => c.query('SELECT 1'))).rejects.toThrow(
      /permission denied/,
    );
    await expect(withPg(url(order.user, order.password, 'postgres'), (c) => c.query('SELECT 1'))).rejects.toThrow(/permission denied/);
    await expect(withPg(order.dbUrlDirect, async (c) => (await c.query('SELECT current_user AS u')).rows[0].u)).resolves.toBe(order.user);
  });

  it('when the Debezium role is used, then it can replicate and read the outbox, but not write it nor read other tables', async () => {
    const dbz = url(cfg.debezium.user, cfg.debezium.password, cfg.services.payment.db);
    const role = await withPg(
      cfg.pg.superUrl,
      async (c) => (await c.query('SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = $1', [cfg.debezium.user])).rows[0],
    );
    expect(role).toEqual({ rolreplication: true, rolsuper: false });
    await withPg(dbz, async (c) => {
      await c.query('SELECT count(*) FROM outbox');
      await expect(
        c.query(`INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, occurred_at)
        VALUES (gen_random_uuid(), 'payment', 'x', 'X', '{}', 1, now())`),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query('SELECT * FROM pgmigrations')).rejects.toThrow(/permission denied/);
    });
  });

  it('when the publication is inspected, then it covers exactly outbox, debezium_heartbeat and debezium_signal, inserts and updates only', async () => {
    for (const svc of Object.values(cfg.services)) {
      const pub = await withPg(url(cfg.pg.superUser, cfg.pg.superPassword, svc.db), async (c) => ({
        tables: (await c.query(`SELECT tablename FROM pg_publication_tables WHERE pubname = 'choreo_outbox' ORDER BY 1`)).rows.map(
          (r) => r.tablename,
        ),
        ops: (await c.query(`SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication WHERE pubname = 'choreo_outbox'`))
          .rows[0],
      }));
      expect(pub).toEqual({
        tables: ['debezium_heartbeat', 'debezium_signal', 'outbox'],
        ops: { pubinsert: true, pubupdate: true, pubdelete: false, pubtruncate: false },
      });
    }
  });
});
