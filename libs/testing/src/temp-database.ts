import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { createLogger, migrate } from '@choreo/platform';
import { loadStackConfig } from '@choreo/stack';

export interface TempDatabase {
  readonly name: string;
  /** DSN of the new database, direct: as its owner when one was given, else as the superuser. */
  readonly url: string;
  /** The same DSN through another host:port, e.g. a Toxiproxy proxy in front of Postgres. */
  urlVia(host: string, port: number): string;
  /** A pool on `url` (or `via` a proxy), closed by `drop()`. `queryTimeoutMs` makes a black-holed query fail. */
  pool(opts?: { max?: number; via?: { host: string; port: number }; connectionTimeoutMillis?: number; queryTimeoutMs?: number }): pg.Pool;
  /** Closes the pools it handed out and drops the database, whoever is still connected. */
  drop(): Promise<void>;
}

export interface TempDatabaseOptions {
  /** node-pg-migrate migrations (TypeScript files are fine) run on the new database. */
  readonly migrationsDir?: string;
  /** Name prefix, lower case; default `it`. */
  readonly prefix?: string;
  /** Superuser DSN of the maintenance database; default the stack's. */
  readonly superUrl?: string;
  /** A login role to own the database and run the migrations, as a service does in production. */
  readonly owner?: { readonly user: string; readonly password: string };
  readonly logger?: Logger;
}

let tsLoader: Promise<unknown> | undefined;

/**
 * node-pg-migrate imports each migration with Node's own loader, which cannot read TypeScript
 * under a test runner; registering tsx's ESM hooks once lets it (and tsx honours the path aliases).
 */
const ensureTsLoader = () => (tsLoader ??= import('tsx/esm/api').then(({ register }) => register()));

/** A throwaway database on the stack's Postgres, so a test owns its tables and nothing else sees them. */
export async function createTempDatabase(opts: TempDatabaseOptions = {}): Promise<TempDatabase> {
  const superUrl = new URL(opts.superUrl ?? loadStackConfig().pg.superUrl);
  const name = `${opts.prefix ?? 'it'}_${randomBytes(5).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const owner = opts.owner;
  await asSuperuser(superUrl, owner ? `CREATE DATABASE ${name} OWNER ${pg.escapeIdentifier(owner.user)}` : `CREATE DATABASE ${name}`);
  if (owner) await asSuperuser(superUrl, `REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  const url = new URL(superUrl);
  url.pathname = `/${name}`;
  if (owner) {
    url.username = encodeURIComponent(owner.user);
    url.password = encodeURIComponent(owner.password);
  }
  const pools: pg.Pool[] = [];
  const urlVia = (host: string, port: number) => {
    const via = new URL(url);
    via.hostname = host;
    via.port = String(port);
    return via.toString();
  };
  const db: TempDatabase = {
    name,
    url: url.toString(),
    urlVia,
    pool({ max = 10, via, connectionTimeoutMillis = 5_000, queryTimeoutMs } = {}) {
      const connectionString = via ? urlVia(via.host, via.port) : url.toString();
      const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis, query_timeout: queryTimeoutMs });
      pool.on('error', () => undefined); // an idle client cut by a test's proxy is expected, not a crash
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.allSettled(pools.map((p) => p.end()));
      await asSuperuser(superUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
  if (opts.migrationsDir) {
    try {
      await ensureTsLoader();
      await migrate(db.url, opts.migrationsDir, opts.logger ?? createLogger('temp-database', 'silent'));
    } catch (error) {
      await db.drop().catch(() => undefined);
      throw error;
    }
  }
  return db;
}

async function asSuperuser(superUrl: URL, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: superUrl.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
