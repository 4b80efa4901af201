import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  readonly max?: number;
  /** A query on a black-holed connection would wait forever; this bounds it so the caller can retry. */
  readonly queryTimeoutMs?: number;
}

export function createPool(connectionString: string, logger: Logger, { max = 10, queryTimeoutMs = 15_000 }: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: queryTimeoutMs,
    keepAlive: true,
  });
  return guardPool(pool, logger);
}

const guarded = new WeakSet<pg.Pool>();

/**
 * Makes a lost connection an error of the query that was using it, never a process crash.
 * An idle client's error goes to the pool; a checked-out client has no listener of its own in
 * pg, so a connection dropped mid-transaction (DB restart, network cut) would be uncaught.
 * Idempotent, so libraries given a pool can call it too.
 */
export function guardPool(pool: pg.Pool, logger: Logger): pg.Pool {
  if (guarded.has(pool)) return pool;
  guarded.add(pool);
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database client error'));
  pool.on('connect', (client) => client.on('error', (error) => logger.warn({ err: error }, 'database connection lost')));
  return pool;
}

/** Runs `work` in one transaction on one client; rolls back on any error. Rows queued with `writeAtCommit` go with the COMMIT. */
export function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return withFramedTransaction(pool, '', async (tx) => ({ result: await work(tx), close: '' }));
}

/** What a framed transaction's work returns: its result, and the statements to send with COMMIT. */
export interface FramedWork<T> {
  readonly result: T;
  /** Statements run just before COMMIT, in the same round trip ('' for none). */
  readonly close: string;
}

/**
 * `withTransaction` whose first and last round trips carry work: `BEGIN; <open>` and
 * `<close>; COMMIT` each go as one simple query, so a transaction that starts with locks and
 * reads and ends with one write costs two round trips fewer. A simple query of several
 * statements takes no parameters: values go in as literals (`escapeLiteral`). Each statement of
 * it takes its own snapshot, so a read after a lock in `open` sees everything committed before
 * the lock was granted. A failing statement skips the rest (COMMIT too) and the transaction
 * rolls back as usual. `opened` holds the results of `open`'s statements, in order.
 */
export async function withFramedTransaction<T>(
  pool: pg.Pool,
  open: string,
  work: (tx: pg.PoolClient, opened: readonly pg.QueryResult[]) => Promise<FramedWork<T>>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    // One statement gives one result; several give an array, BEGIN's first.
    const begun: pg.QueryResult | pg.QueryResult[] = await client.query(open === '' ? 'BEGIN' : `BEGIN; ${open}`);
    commitWrites.set(client, []);
    const { result, close } = await work(client, Array.isArray(begun) ? begun.slice(1) : []);
    await client.query([close, ...renderCommitWrites(client), 'COMMIT'].filter((sql) => sql !== '').join('; '));
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    commitWrites.delete(client);
    client.release(broken);
  }
}

/**
 * Rows of one kind that a transaction writes with its COMMIT, and the statement that writes
 * them (values as literals: it goes in a simple query). Appends (outbox rows) have no key.
 * Upserts of an aggregate's state have one: queued again under the same key, the later row
 * replaces the earlier, the statement gets one row per key in key order, and the transaction
 * reads its own row back with `queuedRow` (the table holds it only after the COMMIT).
 */
export interface CommitWrite<R> {
  readonly sql: (rows: readonly R[]) => string;
  readonly key?: (row: R) => string;
}

/** A `CommitWrite` of upserts: rows with a key. */
export type CommitUpsert<R> = CommitWrite<R> & { readonly key: (row: R) => string };

const commitWrites = new WeakMap<pg.PoolClient, { write: CommitWrite<unknown>; row: unknown }[]>();

/**
 * Queues `rows` to be written by `write` in the round trip of this transaction's COMMIT, all rows
 * of one kind in one statement, in the order they were queued. Only a transaction opened by
 * `withTransaction` / `withFramedTransaction` has that round trip: otherwise returns false and
 * the caller writes them itself.
 */
export function writeAtCommit<R>(tx: pg.PoolClient, write: CommitWrite<R>, rows: readonly R[]): boolean {
  const queued = commitWrites.get(tx);
  if (!queued) return false;
  for (const row of rows) queued.push({ write: write as CommitWrite<unknown>, row });
  return true;
}

/**
 * The row this transaction last queued with `write` under `key`, or undefined: what a load must
 * see instead of the table's row, which the COMMIT has yet to replace.
 */
export function queuedRow<R>(tx: pg.PoolClient, write: CommitUpsert<R>, key: string): R | undefined {
  const queued = commitWrites.get(tx) ?? [];
  for (let i = queued.length - 1; i >= 0; i--) {
    const { write: w, row } = queued[i]!;
    if (w === write && write.key(row as R) === key) return row as R;
  }
  return undefined;
}

/** How many rows this transaction has queued so far: a savepoint's mark, for `dropCommitWritesAfter`. */
export const commitWritesMark = (tx: pg.PoolClient): number => commitWrites.get(tx)?.length ?? 0;

/** Forgets the rows queued after `mark`, as `ROLLBACK TO SAVEPOINT` forgets what was written after it. */
export function dropCommitWritesAfter(tx: pg.PoolClient, mark: number): void {
  commitWrites.get(tx)?.splice(mark);
}

function renderCommitWrites(tx: pg.PoolClient): string[] {
  const byWrite = new Map<CommitWrite<unknown>, unknown[]>();
  for (const { write, row } of commitWrites.get(tx) ?? []) {
    const rows = byWrite.get(write);
    if (rows) rows.push(row);
    else byWrite.set(write, [row]);
  }
  return [...byWrite].map(([write, rows]) => write.sql(write.key ? latestByKey(rows, write.key) : rows));
}

/** One row per key, the last queued, in key order: concurrent commits lock the rows they upsert in one order. */
function latestByKey<R>(rows: readonly R[], key: (row: R) => string): R[] {
  const latest = new Map<string, R>();
  for (const row of rows) latest.set(key(row), row);
  return [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

export const { escapeLiteral } = pg;

/** A jsonb literal of `value`, for a statement that goes in a simple query (no parameters). */
export const jsonLiteral = (value: unknown): string => `${escapeLiteral(JSON.stringify(value))}::jsonb`;

/** A text[] literal of `values`, through a jsonb literal (no array-literal quoting rules to get wrong). */
export const textArrayLiteral = (values: readonly string[]): string => `ARRAY(SELECT jsonb_array_elements_text(${jsonLiteral(values)}))`;

export async function migrate(databaseUrl: string, dir: string, logger: Logger): Promise<void> {
  await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    singleTransaction: true,
    verbose: false,
    log: (message) => logger.debug(message),
  });
}
