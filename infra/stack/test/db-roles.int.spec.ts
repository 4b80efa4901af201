import { describe, expect, it } from 'vitest';
import { withPg } from '../src/pg-client';
import { loadStackConfig } from '../src/stack-config';

const cfg = loadStackConfig();
const url = (user: string, pass: string, db: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${cfg.pg.host}:${cfg.pg.port}/${db}`;

const superIn = (db: string) => url(cfg.pg.superUser, cfg.pg.superPassword, db);
const refused = /permission denied|must be superuser|must have replication/i;
/** Tables Debezium reads or owns; every other table of a service database is off limits to it. */
const DEBEZIUM_TABLES = ['outbox', 'debezium_heartbeat', 'debezium_signal'];
const tablesOf = (db: string) =>
  withPg(superIn(db), async (c) =>
    (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename as string),
  );
const attributes = (role: string) =>
  withPg(
    cfg.pg.superUrl,
    async (c) =>
      (await c.query('SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = $1', [role]))
        .rows[0],
  );

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

  describe.each(Object.entries(cfg.services))('the %s service role', (name, svc) => {
    it('when its attributes are read, then it is no superuser and can create no database, role or replication', async () => {
      expect(await attributes(svc.user)).toEqual({
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
      });
    });

    it('when it connects anywhere but its own database, then it is refused', async () => {
      const others = [
        ...Object.values(cfg.services)
          .filter((o) => o.db !== svc.db)
          .map((o) => o.db),
        'postgres',
        'template1',
      ];
      for (const db of others) {
        await expect(
          withPg(url(svc.user, svc.password, db), (c) => c.query('SELECT 1')),
          `${name} → ${db}`,
        ).rejects.toThrow(refused);
      }
    });

    it('when it tries what only an administrator may (roles, databases, password hashes, server files, replication slots), then each is refused', async () => {
      await withPg(svc.dbUrlDirect, async (c) => {
        for (const sql of [
          'CREATE ROLE choreo_intruder',
          'CREATE DATABASE choreo_intruder',
          'SELECT rolpassword FROM pg_authid',
          "SELECT pg_read_file('/etc/hostname')",
          "COPY (SELECT 1) TO PROGRAM 'true'",
          "SELECT pg_create_logical_replication_slot('choreo_intruder', 'pgoutput')",
        ]) {
          await expect(c.query(sql), sql).rejects.toThrow(refused);
        }
      });
    });
  });

  it('when the Debezium role is inspected, then it may replicate and nothing else an administrator may', async () => {
    expect(await attributes(cfg.debezium.user)).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: true,
      rolbypassrls: false,
    });
    for (const db of ['postgres', 'template1']) {
      await expect(
        withPg(url(cfg.debezium.user, cfg.debezium.password, db), (c) => c.query('SELECT 1')),
        db,
      ).rejects.toThrow(refused);
    }
  });

  it.each(Object.values(cfg.services).map((svc) => svc.db))(
    'when the Debezium role works in %s, then it reads the outbox, changes none of it, reads no other table and creates nothing',
    async (db) => {
      const business = (await tablesOf(db)).filter((t) => !DEBEZIUM_TABLES.includes(t));
      expect(business.length).toBeGreaterThan(3);
      await withPg(url(cfg.debezium.user, cfg.debezium.password, db), async (c) => {
        await c.query('SELECT count(*) FROM outbox');
        for (const sql of [
          'UPDATE outbox SET aggregateid = aggregateid',
          'DELETE FROM outbox',
          'TRUNCATE outbox',
          'CREATE TABLE intruder (id int)',
        ]) {
          await expect(c.query(sql), sql).rejects.toThrow(refused);
        }
        for (const table of business) await expect(c.query(`SELECT 1 FROM "${table}" LIMIT 1`), table).rejects.toThrow(refused);
        await expect(c.query('SELECT rolpassword FROM pg_authid')).rejects.toThrow(refused);
      });
    },
  );
});
