import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters, type DeadLetter } from '@choreo/messaging';
import { checkInvariants, E2eHarness, spawnTsx, waitFor, type GroupLag } from '@choreo/testing';
import { collectSnapshot, type DbReader, type RunScope } from '../invariants/collect-snapshot';
import { consumerLag } from '../invariants/consumer-lag';
import { waitForQuiescence } from '../invariants/quiescence';
import { TopicLog } from '../invariants/topic-log';

/**
 * The operator's path for a poisoned event (docs/operations.md, "A dead-lettered event"):
 * inventory-service runs with a handler bug (the test-only CHOREO_TEST_FAIL_EVENT_TYPES), so an
 * OrderPlaced is dead-lettered and the saga's OrderCancelled (its deadline) parks behind the gap;
 * the fix is deployed (a restart without the bug); `npm run dlq -- redrive` shows its plan, then
 * re-publishes the record; inventory applies it once, releases the parked successor, and the
 * chaos suite's invariant checker finds nothing wrong.
 */
let h: E2eHarness;
let log: TopicLog;
const kafka = () => new Kafka({ clientId: 'choreo-dlq-e2e', brokers: [h.cfg.kafka.bootstrap], logLevel: logLevel.NOTHING });
const INVENTORY = 'inventory-service';

beforeAll(async () => {
  h = await E2eHarness.start({ tap: false, services: { order: { env: { SAGA_TIMEOUT_MS: '8000' } } } });
  log = await TopicLog.open();
});

afterAll(async () => {
  await log?.close();
  await h?.close();
});

const admin = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${h.services.url('inventory')}${path}`, { headers: { Authorization: `Bearer ${h.cfg.adminToken}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
type Inbox = { entries: { eventType: string; outcome: string; reason: string | null; settledAt: string | null }[] };
const inboxOf = (orderId: string) => admin<Inbox>(`/admin/sagas/${orderId}/inbox`);

const dlq = async (args: string[]) => {
  const cli = spawnTsx('infra/stack/src/dlq/dlq-cli.ts', { args });
  const exit = await cli.exited;
  expect(exit.code, cli.errors.join('\n')).toBe(0);
  return cli.lines.join('\n');
};

describe('dead-letter redrive on the real stack', () => {
  it('when a handler bug dead-letters an event and the fix is deployed, then a redrive applies it once, releases its parked successor, and no invariant is violated', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 500, available: 4 });
    const customer = await h.fixtures.customer(10_000);
    // What the ChoreoDeadLetterUnresolved alert reads: up by one while the event waits for its redrive, back once it applied.
    const unresolved = () => h.metric(INVENTORY, 'choreo_dead_letters_unresolved');
    const unresolvedBefore = await unresolved();
    await h.services.restart('inventory', { env: { CHOREO_TEST_FAIL_EVENT_TYPES: 'OrderPlaced' } });

    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 3 }] });
    const orderId = placed.orderId;
    const dead: DeadLetter = await waitFor(
      async () => (await readDeadLetters(kafka(), ['order.events.dlq'])).find((d) => d.sagaId === orderId && d.consumer === INVENTORY),
      { timeoutMs: 60_000, intervalMs: 500, description: 'the OrderPlaced on order.events.dlq' },
    );
    expect(dead).toMatchObject({ code: 'HANDLER_FAILED', eventType: 'OrderPlaced', aggregateSeq: 1, origin: { topic: 'order.events' } });
    // The deadline cancels the order; inventory parks the OrderCancelled behind the missing seq 1.
    await waitFor(
      async () => {
        const kinds = (await inboxOf(orderId)).entries.map((e) => `${e.eventType}:${e.outcome}`);
        return kinds.includes('OrderPlaced:dead_lettered') && kinds.includes('OrderCancelled:parked');
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "inventory's inbox: OrderPlaced dead-lettered, OrderCancelled parked" },
    );
    expect((await h.orders.get(orderId)).body()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
    expect(await unresolved()).toBe(unresolvedBefore + 1);

    await h.services.restart('inventory', { env: { CHOREO_TEST_FAIL_EVENT_TYPES: '' } });

    const listed = await dlq(['list', '--topic', 'order.events.dlq']);
    expect(listed).toContain(dead.id);
    const dryRun = await dlq(['redrive', dead.id]);
    expect(dryRun).toContain('A redrive publishes it to order.events');
    expect(dryRun).toContain('Dry run: nothing was published');
    expect((await inboxOf(orderId)).entries.find((e) => e.eventType === 'OrderPlaced')?.outcome).toBe('dead_lettered');

    expect(await dlq(['redrive', dead.id, '--execute'])).toContain('Redriven: order.events partition');
    const settled = await waitFor(
      async () => {
        const { entries } = await inboxOf(orderId);
        return entries.every((e) => e.outcome === 'applied' || e.outcome === 'ignored') ? entries : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: "inventory's inbox of the saga fully settled after the redrive" },
    );
    // In arrival order: the redriven OrderPlaced arrived after the OrderCancelled it released.
    expect(settled.map((e) => `${e.eventType}:${e.outcome}`)).toEqual(['OrderCancelled:applied', 'OrderPlaced:applied']);
    expect(await unresolved()).toBe(unresolvedBefore);
    const reservation = await admin<{ status: string; lines: unknown[] }>(`/admin/reservations/${orderId}`);
    expect(reservation).toMatchObject({ status: 'RELEASED', lines: [{ sku, quantity: 3 }] });

    // A second redrive of the same record is a duplicate: nothing changes.
    const duplicates = () => h.metric(INVENTORY, 'choreo_messages_duplicates_total', { kind: 'inbox' });
    const before = await duplicates();
    await dlq(['redrive', dead.id, '--execute']);
    const afterSecond = await waitFor(async () => ((await duplicates()) > before ? inboxOf(orderId) : undefined), {
      timeoutMs: 30_000,
      intervalMs: 300,
      description: 'the second copy absorbed by the inbox',
    });
    expect(afterSecond.entries).toEqual(settled);
    expect(await h.inventory.getProduct(sku).then((r) => r.body())).toMatchObject({ available: 4, reserved: 0, sold: 0 });

    const scope: RunScope = { customers: [customer], skus: [sku] };
    const dbs: DbReader = { query: (db, sql, params) => h.dbs.query(db, sql, params ?? []) };
    const lag = (): Promise<GroupLag[]> => consumerLag();
    const client = {
      orders: [{ orderId, customerId: customer, items: [{ sku, quantity: 3 }] }],
      unresolved: 0,
      funding: { [customer]: 10_000 },
      stocked: { [sku]: 4 },
    };
    const quiet = await waitForQuiescence({ dbs, scope, client, log, lag, timeoutMs: 60_000 });
    expect(quiet.pending).toBe('');
    await log.catchUp();
    const snapshot = await collectSnapshot({ dbs, client, scope, records: async () => log.all(), lag });
    expect(snapshot.deadLetters.map((d) => d.eventId)).toEqual([dead.eventId]);
    expect(checkInvariants(snapshot)).toEqual([]);
  });
});
