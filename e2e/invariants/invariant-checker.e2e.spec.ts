import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@choreo/stack';
import {
  checkInvariants,
  consistentWorld,
  createTempDatabase,
  type ConsumedRecord,
  type SourceDb,
  type TempDatabase,
  type Violation,
  type WorldSnapshot,
} from '@choreo/testing';
import { collectSnapshot, type RunScope } from './collect-snapshot';
import { waitForQuiescence } from './quiescence';
import { dbReaderOf, writeWorld, type WorldPools } from './world-writer';

/**
 * The checker against fabricated states in real databases migrated exactly like the services'
 * own: a consistent world must pass, and each kind of violation written into it must be caught
 * by what the checker reads back (SQL, column mapping, scoping), not only by the pure core.
 */
const cfg = loadStackConfig();
const SERVICES: readonly SourceDb[] = ['order', 'inventory', 'payment'];
let temp: Record<SourceDb, TempDatabase>;
let pools: WorldPools;

beforeAll(async () => {
  const dbs = await Promise.all(
    SERVICES.map((s) => createTempDatabase({ prefix: `inv_${s}`, migrationsDir: cfg.services[s].migrationsDir })),
  );
  temp = { order: dbs[0]!, inventory: dbs[1]!, payment: dbs[2]! };
  pools = { order: temp.order.pool(), inventory: temp.inventory.pool(), payment: temp.payment.pool() };
  // A build without the database's own guard, so a double charge can be fabricated at all.
  await pools.payment.query('DROP INDEX ledger_one_charge_per_order_idx');
});
afterAll(async () => {
  await Promise.allSettled(Object.values(temp ?? {}).map((db) => db.drop()));
});

interface Fabricated {
  world: WorldSnapshot;
  scope: RunScope;
  records: ConsumedRecord[];
  id: (name: string) => string;
}

async function fabricate(): Promise<Fabricated> {
  const prefix = `w${randomBytes(3).toString('hex')}-`;
  const world = consistentWorld(prefix);
  await writeWorld(pools, world);
  const records = world.published.map((p, i): ConsumedRecord => ({
    topic: p.topic,
    partition: 0,
    offset: String(i),
    key: p.sagaId,
    value: '{}',
    headers: { eventId: p.eventId, sagaId: p.sagaId },
  }));
  return {
    world,
    records,
    id: (name) => `${prefix}${name}`,
    scope: { customers: Object.keys(world.client.funding), skus: Object.keys(world.client.stocked) },
  };
}

const check = async (f: Fabricated): Promise<Violation[]> =>
  checkInvariants(
    await collectSnapshot({
      dbs: dbReaderOf(pools),
      client: f.world.client,
      scope: f.scope,
      records: async () => f.records,
      lag: async () => [],
    }),
  );
const lines = (vs: readonly Violation[]) => vs.map((v) => `${v.invariant} | ${v.subject} | ${v.message}`);
const eventId = (f: Fabricated, aggregateId: string, type: string) =>
  f.world.outbox.find((r) => r.aggregateId === f.id(aggregateId) && r.type === type)!.eventId;

describe('invariant checker on fabricated database states', () => {
  it('when a consistent world is read back from the databases, then no invariant is violated', async () => {
    const f = await fabricate();
    expect(lines(await check(f))).toEqual([]);
  });

  it('when an OrderPlaced was committed but never published nor applied by inventory, then it is reported as a lost event', async () => {
    const f = await fabricate();
    const lost = eventId(f, 'o1', 'OrderPlaced');
    await pools.inventory.query(`DELETE FROM inbox WHERE consumer = 'inventory-service' AND event_id = $1`, [lost]);
    f.records = f.records.filter((r) => r.headers['eventId'] !== lost);

    expect(lines(await check(f))).toEqual([
      `lostEvent | event ${lost} | OrderPlaced #1 of order ${f.id('o1')} committed in the order outbox never reached order.events`,
      `lostEvent | event ${lost} | OrderPlaced #1 of order ${f.id('o1')} never reached inventory-service's inbox`,
    ]);
  });

  it('when an order was charged twice, then money conservation fails for the order and its customer', async () => {
    const f = await fabricate();
    await pools.payment.query(`INSERT INTO ledger (customer_id, kind, amount_cents, order_id) VALUES ($1, 'CHARGE', -1000, $2)`, [
      f.id('alice'),
      f.id('o1'),
    ]);
    await pools.payment.query('UPDATE accounts SET balance_cents = balance_cents - 1000 WHERE customer_id = $1', [f.id('alice')]);

    expect(lines(await check(f))).toEqual([
      `money | customer ${f.id('alice')} | balance 8000 ≠ funded 10000 − captured 1000`,
      `money | customer ${f.id('alice')} | balance 8000 ≠ funded 10000 − CONFIRMED order totals 1000`,
      `money | order ${f.id('o1')} | charged 2 times (-1000, -1000)`,
    ]);
  });

  it('when a cancelled order still holds its stock, then stock conservation and agreement fail', async () => {
    const f = await fabricate();
    await pools.inventory.query(`UPDATE reservations SET status = 'RESERVED' WHERE order_id = $1`, [f.id('o4')]);
    await pools.inventory.query('UPDATE products SET available = available - 1, reserved = reserved + 1 WHERE sku = $1', [f.id('apple')]);

    expect(lines(await check(f))).toEqual(
      expect.arrayContaining([
        `stock | sku ${f.id('apple')} | 1 unit(s) still reserved at rest`,
        `agreement | order ${f.id('o4')} | CANCELLED (CUSTOMER_REQUEST) but reservation is RESERVED: stock held`,
      ]),
    );
  });

  it('when a saga never terminates, then the bounded quiescence wait gives up and termination names the order', async () => {
    const f = await fabricate();
    const parked = eventId(f, 'o1', 'PaymentCaptured');
    await pools.order.query(`UPDATE orders SET status = 'AWAITING_PAYMENT' WHERE order_id = $1`, [f.id('o1')]);
    await pools.order.query(
      `INSERT INTO parked_events (consumer, event_id, park_key, reason, headers, source_topic, source_partition, source_offset)
                             VALUES ('order-service', $1, $2, 'inventory not yet reserved', '{}', 'payment.events', 0, 0)`,
      [parked, f.id('o1')],
    );
    const log = { catchUp: async () => undefined, all: () => f.records };

    const started = Date.now();
    const quiet = await waitForQuiescence({
      dbs: dbReaderOf(pools),
      scope: f.scope,
      client: f.world.client,
      log,
      lag: async () => [],
      timeoutMs: 1_500,
    });

    expect(quiet).toMatchObject({ quiet: false, pending: '1 order(s) not terminal' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines((await check(f)).filter((v) => v.invariant === 'termination'))).toEqual([
      `termination | order ${f.id('o1')} | saga did not terminate: still AWAITING_PAYMENT`,
      `termination | event ${parked} | still parked by order-service for saga ${f.id('o1')}: inventory not yet reserved`,
    ]);
  });

  it('when the run is at rest, then the quiescence wait returns at once', async () => {
    const f = await fabricate();
    const log = { catchUp: async () => undefined, all: () => f.records };
    const quiet = await waitForQuiescence({
      dbs: dbReaderOf(pools),
      scope: f.scope,
      client: f.world.client,
      log,
      lag: async () => [],
      timeoutMs: 10_000,
    });
    expect(quiet).toMatchObject({ quiet: true, pending: '' });
    expect(quiet.ms).toBeLessThan(2_000);
  });
});
