import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractViolation } from '@choreo/contracts';
import { withTransaction } from '@choreo/platform';
import { createTempDatabase, type TempDatabase } from '@choreo/testing';
import type pg from 'pg';
import { appendToOutbox, type OutgoingEvent } from '../src/append-to-outbox';
import { sweepOutbox } from '../src/outbox-sweeper';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const confirmed = (orderId: string): OutgoingEvent => ({
  type: 'OrderConfirmed',
  payload: { orderId },
  aggregateId: orderId,
  sagaId: orderId,
});

describe('appendToOutbox (real Postgres)', () => {
  let db: TempDatabase;
  let pool: pg.Pool;
  beforeEach(async () => {
    db = await createTempDatabase({ migrationsDir: MIGRATIONS_DIR, prefix: 'it_outbox' });
    pool = db.pool({ max: 24 });
  });
  afterEach(() => db.drop());

  const seqsOf = async (aggregateId: string) =>
    (
      await pool.query<{ seq: string }>('SELECT aggregate_seq AS seq FROM outbox WHERE aggregateid = $1 ORDER BY aggregate_seq', [
        aggregateId,
      ])
    ).rows.map((r) => Number(r.seq));

  /**
   * How a writer's transaction is opened. By withTransaction, appendToOutbox queues its rows and
   * one statement writes them with the COMMIT; by a plain BEGIN, each call inserts at once.
   */
  type Opening = 'withTransaction' | 'BEGIN';
  const inPlainTransaction = async <T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  };

  /**
   * One writer: a transaction appending `count` events in two calls with a pause in between,
   * which widens the race between the two inserts where they are written at once.
   */
  const writer = (aggregateId: string, count: number, opening: Opening, rollback = false) => {
    const work = async (tx: pg.PoolClient) => {
      const first = await appendToOutbox(
        tx,
        Array.from({ length: count / 2 }, () => confirmed(aggregateId)),
      );
      await tx.query('SELECT pg_sleep(0.005)');
      const second = await appendToOutbox(
        tx,
        Array.from({ length: count / 2 }, () => confirmed(aggregateId)),
      );
      if (rollback) throw new Error('rolled back on purpose');
      return [...first, ...second];
    };
    return opening === 'withTransaction' ? withTransaction(pool, work) : inPlainTransaction(work);
  };

  /** The committed seqs of these event ids, in the order of the ids. */
  const seqsOfIds = async (ids: readonly string[]) => {
    const { rows } = await pool.query<{ id: string; seq: string }>('SELECT id, aggregate_seq AS seq FROM outbox WHERE id = ANY($1)', [ids]);
    const seqs = new Map(rows.map((r) => [r.id, Number(r.seq)]));
    return ids.map((id) => seqs.get(id));
  };

  it.each(['withTransaction', 'BEGIN'] as const)(
    'when 20 transactions opened by %s append 10 events each to one aggregate at once, then the seqs are exactly 1..200, each writer holding a contiguous run',
    async (opening) => {
      const results = await Promise.all(Array.from({ length: 20 }, () => writer('o-hot', 10, opening)));
      expect(await seqsOf('o-hot')).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      for (const ids of results) {
        const seqs = await seqsOfIds(ids);
        expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => seqs[0]! + i));
      }
    },
  );

  it.each(['withTransaction', 'BEGIN'] as const)(
    'when some concurrent transactions opened by %s roll back, then they leave no gap: committed seqs are 1..n',
    async (opening) => {
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => writer('o-mixed', 10, opening, i % 4 === 0)));
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(5);
      expect(await seqsOf('o-mixed')).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    },
  );

  it('when events of different aggregates are appended, then each aggregate counts from 1 on its own', async () => {
    await Promise.all([writer('o-a', 4, 'withTransaction'), writer('o-b', 2, 'BEGIN'), writer('o-a', 2, 'BEGIN')]);
    expect(await seqsOf('o-a')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqsOf('o-b')).toEqual([1, 2]);
  });

  it('when an event is caused by another, then the envelope carries eventId, sagaId, causationId, occurredAt and the parent trace', async () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const causationId = '0b6f6b54-61a4-4b47-8a1f-2f9a0f3f0c22';
    const now = new Date('2026-11-29T13:00:00.000Z');
    const [id] = await withTransaction(pool, (tx) => appendToOutbox(tx, [confirmed('o-env')], { causationId, traceparent: parent }, now));
    const { rows } = await pool.query('SELECT * FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toMatchObject({
      aggregatetype: 'order',
      aggregateid: 'o-env',
      type: 'OrderConfirmed',
      payload: { orderId: 'o-env' },
      saga_id: 'o-env',
      causation_id: causationId,
      schema_version: 1,
      occurred_at: now,
    });
    expect(rows[0].traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(rows[0].traceparent).not.toBe(parent);
  });

  it('when events are appended in a transaction withTransaction opened, then their rows are written with its COMMIT, in the order appended', async () => {
    const ids = await withTransaction(pool, async (tx) => {
      const first = await appendToOutbox(tx, [confirmed('o-late'), confirmed('o-late-2')]);
      const second = await appendToOutbox(tx, [confirmed('o-late')]);
      const { rows } = await tx.query("SELECT count(*)::int AS n FROM outbox WHERE aggregateid LIKE 'o-late%'");
      expect(rows[0].n).toBe(0);
      return [...first, ...second];
    });
    expect(await seqsOfIds(ids)).toEqual([1, 1, 2]);
    // Inserted in the order appended (the heap order, which is the order the WAL and Debezium have them in).
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM outbox WHERE aggregateid LIKE 'o-late%' ORDER BY ctid");
    expect(rows.map((r) => r.id)).toEqual(ids);
  });

  it('when events are appended in a transaction opened some other way, then their rows are written at once', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const ids = await appendToOutbox(client, [confirmed('o-now'), confirmed('o-now')]);
      const { rows } = await client.query<{ id: string; seq: string }>(
        "SELECT id, aggregate_seq AS seq FROM outbox WHERE aggregateid = 'o-now' ORDER BY aggregate_seq",
      );
      expect(rows.map((r) => [r.id, Number(r.seq)])).toEqual([
        [ids[0], 1],
        [ids[1], 2],
      ]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await seqsOf('o-now')).toEqual([]);
  });

  it('when a payload breaks the contract, then nothing of the transaction is written', async () => {
    const bad = {
      type: 'OrderCancelled',
      payload: { orderId: 'o-bad', reason: 'BORED' },
      aggregateId: 'o-bad',
      sagaId: 'o-bad',
    } as unknown as OutgoingEvent;
    await expect(withTransaction(pool, (tx) => appendToOutbox(tx, [confirmed('o-bad'), bad]))).rejects.toBeInstanceOf(ContractViolation);
    expect(await seqsOf('o-bad')).toEqual([]);
    await withTransaction(pool, (tx) => appendToOutbox(tx, [confirmed('o-bad')]));
    expect(await seqsOf('o-bad')).toEqual([1]);
  });

  it('when the outbox is swept, then old rows go, recent rows stay, and seqs continue where they were', async () => {
    await writer('o-sweep', 4, 'withTransaction');
    await pool.query("UPDATE outbox SET created_at = now() - interval '1 hour' WHERE aggregateid = 'o-sweep'");
    await writer('o-sweep', 2, 'withTransaction');
    expect(await sweepOutbox(pool, 60_000)).toBe(4);
    expect(await seqsOf('o-sweep')).toEqual([5, 6]);
    await writer('o-sweep', 2, 'withTransaction');
    expect(await seqsOf('o-sweep')).toEqual([5, 6, 7, 8]);
  });
});
