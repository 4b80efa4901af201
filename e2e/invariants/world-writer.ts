import type pg from 'pg';
import { topicOf, type AggregateType } from '@choreo/contracts';
import type { SourceDb, SystemSnapshot } from '@choreo/testing';
import type { DbReader } from './collect-snapshot';

export type WorldPools = Readonly<Record<SourceDb, pg.Pool>>;

export const dbReaderOf = (pools: WorldPools): DbReader => ({
  query: async (db, sql, params = []) => (await pools[db].query(sql, params)).rows,
});

const dbOfConsumer = (consumer: string) => consumer.replace(/-service$/, '') as SourceDb;

/** Writes a world into three databases migrated like the services' own, row for row. */
export async function writeWorld(pools: WorldPools, w: SystemSnapshot): Promise<void> {
  const q = (db: SourceDb, sql: string, params: unknown[]) => pools[db].query(sql, params);
  for (const o of w.orders) {
    const state = {
      status: o.status,
      orderId: o.orderId,
      customerId: o.customerId,
      items: o.items,
      totalCents: o.totalCents,
      timeline: { placedAt: new Date().toISOString() },
      ...(o.cancellationReason ? { cancellationReason: o.cancellationReason } : {}),
    };
    await q(
      'order',
      `INSERT INTO orders (order_id, customer_id, status, state, total_cents, deadline_at) VALUES ($1, $2, $3, $4, $5, now() + interval '1 hour')`,
      [o.orderId, o.customerId, o.status, JSON.stringify(state), o.totalCents],
    );
  }
  for (const r of w.reservations) {
    await q('inventory', 'INSERT INTO reservations (order_id, status, state) VALUES ($1, $2, $3)', [
      r.orderId,
      r.status,
      JSON.stringify({ status: r.status, orderId: r.orderId }),
    ]);
  }
  for (const p of w.products) {
    await q(
      'inventory',
      'INSERT INTO products (sku, name, price_cents, available, reserved, sold, stocked) VALUES ($1, $1, 500, $2, $3, $4, $5)',
      [p.sku, p.available, p.reserved, p.sold, p.stocked],
    );
  }
  for (const p of w.payments) {
    await q('payment', 'INSERT INTO payments (order_id, customer_id, status, amount_cents, state) VALUES ($1, $2, $3, $4, $5)', [
      p.orderId,
      p.customerId,
      p.status,
      p.amountCents,
      JSON.stringify({ status: p.status, orderId: p.orderId }),
    ]);
  }
  for (const a of w.accounts)
    await q('payment', 'INSERT INTO accounts (customer_id, balance_cents) VALUES ($1, $2)', [a.customerId, a.balanceCents]);
  for (const e of w.ledger) {
    await q('payment', 'INSERT INTO ledger (customer_id, kind, amount_cents, order_id) VALUES ($1, $2, $3, $4)', [
      e.customerId,
      e.kind,
      e.amountCents,
      e.orderId,
    ]);
  }
  for (const r of w.outbox) {
    await q(
      r.db,
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, aggregate_seq, saga_id, occurred_at)
                   VALUES ($1, $2, $3, $4, '{}', $5, $6, now())`,
      [r.eventId, r.aggregateType, r.aggregateId, r.type, r.seq, r.sagaId],
    );
  }
  for (const i of w.inbox) {
    await q(
      dbOfConsumer(i.consumer),
      `INSERT INTO inbox (consumer, event_id, event_type, aggregate_type, aggregate_id, aggregate_seq, saga_id,
                                         outcome, reason, source_topic, source_partition, source_offset, settled_at)
                                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, now())`,
      [
        i.consumer,
        i.eventId,
        i.eventType,
        i.aggregateType,
        i.aggregateId,
        i.seq,
        i.sagaId,
        i.outcome,
        i.reason,
        topicOf(i.aggregateType as AggregateType),
      ],
    );
  }
  for (const s of w.sequences) {
    await q(
      dbOfConsumer(s.consumer),
      'INSERT INTO consumer_sequences (consumer, aggregate_type, aggregate_id, last_seq) VALUES ($1, $2, $3, $4)',
      [s.consumer, s.aggregateType, s.aggregateId, s.lastSeq],
    );
  }
  for (const p of w.parked) {
    await q(
      dbOfConsumer(p.consumer),
      `INSERT INTO parked_events (consumer, event_id, park_key, reason, headers, source_topic, source_partition, source_offset)
                                       VALUES ($1, $2, $3, $4, '{}', 'payment.events', 0, 0)`,
      [p.consumer, p.eventId, p.sagaId, p.reason],
    );
  }
}
