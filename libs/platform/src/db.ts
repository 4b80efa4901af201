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
    txStates.set(client, { writes: [], loaded: new Map() });
    const { result, close } = await work(client, Array.isArray(begun) ? begun.slice(1) : []);
    await client.query([close, ...renderCommitWrites(client), 'COMMIT'].filter((sql) => sql !== '').join('; '));
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    txStates.delete(client);
    client.release(broken);
  }
}

/**
 * Rows of one kind that a transaction writes with its COMMIT, and the statement that writes
 * them (values as literals: it goes in a simple query). Appends (outbox rows) have no key.
 * Upserts of an aggregate's state have one: queued again under the same key, the later row
 * replaces the earlier, the statement gets one row per key in key order, and the transaction
 * reads its own row back with `knownRow` (the table holds it only after the COMMIT).
 */
export interface CommitWrite<R> {
  readonly sql: (rows: readonly R[]) => string;
  readonly key?: (row: R) => string;
}

/** A `CommitWrite` of upserts: rows with a key. */
export type CommitUpsert<R> = CommitWrite<R> & { readonly key: (row: R) => string };

/** What a framed transaction holds in memory: rows queued for its COMMIT, and rows it read in advance under lock. */
interface TxState {
  readonly writes: { readonly write: CommitWrite<unknown>; readonly row: unknown }[];
  /** Per upsert kind: key → row, or null for a key looked for and not found. */
  readonly loaded: Map<CommitWrite<unknown>, Map<string, unknown>>;
}

const txStates = new WeakMap<pg.PoolClient, TxState>();

/**
 * Queues `rows` to be written by `write` in the round trip of this transaction's COMMIT, all rows
 * of one kind in one statement, in the order they were queued. Only a transaction opened by
 * `withTransaction` / `withFramedTransaction` has that round trip: otherwise returns false and
 * the caller writes them itself.
 */
export function writeAtCommit<R>(tx: pg.PoolClient, write: CommitWrite<R>, rows: readonly R[]): boolean {
  const state = txStates.get(tx);
  if (!state) return false;
  for (const row of rows) state.writes.push({ write: write as CommitWrite<unknown>, row });
  return true;
}

/**
 * Reads, under their row locks, the rows of `write`'s table under `keys` in one round trip
 * (`statement` takes the keys as $1 and returns each row's value as `state`, locking in key
 * order), ahead of the loads that need them, and keeps them in the transaction, absent ones too:
 * `knownRow` then answers for those keys. Outside a framed transaction nothing is kept.
 */
export async function lockAndHold<R>(
  tx: pg.PoolClient,
  write: CommitUpsert<R>,
  statement: { readonly name: string; readonly text: string },
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  const { rows } = await tx.query<{ state: R }>({ ...statement, values: [keys] });
  const state = txStates.get(tx);
  if (!state) return;
  let held = state.loaded.get(write as CommitWrite<unknown>);
  if (!held) state.loaded.set(write as CommitWrite<unknown>, (held = new Map()));
  for (const key of keys) held.set(key, null);
  for (const { state: row } of rows) held.set(write.key(row), row);
}

/**
 * What this transaction already knows of the row under `key`, without asking the database: the
 * row it last queued with `write` (the table has it only from the COMMIT on), else the row it
 * read in advance (`lockAndHold`); null when that read found none; undefined when it must read it.
 */
export function knownRow<R>(tx: pg.PoolClient, write: CommitUpsert<R>, key: string): R | null | undefined {
  const state = txStates.get(tx);
  if (!state) return undefined;
  for (let i = state.writes.length - 1; i >= 0; i--) {
    const { write: w, row } = state.writes[i]!;
    if (w === write && write.key(row as R) === key) return row as R;
  }
  return state.loaded.get(write as CommitWrite<unknown>)?.get(key) as R | null | undefined;
}

/** How many rows this transaction has queued so far: a savepoint's mark, for `dropCommitWritesAfter`. */
export const commitWritesMark = (tx: pg.PoolClient): number => txStates.get(tx)?.writes.length ?? 0;

/** Forgets the rows queued after `mark`, as `ROLLBACK TO SAVEPOINT` forgets what was written after it. */
export function dropCommitWritesAfter(tx: pg.PoolClient, mark: number): void {
  txStates.get(tx)?.writes.splice(mark);
}

function renderCommitWrites(tx: pg.PoolClient): string[] {
  const byWrite = new Map<CommitWrite<unknown>, unknown[]>();
  for (const { write, row } of txStates.get(tx)?.writes ?? []) {
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
