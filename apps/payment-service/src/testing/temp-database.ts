import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { createLogger, createPool, migrate, type Pool } from '@choreo/platform';
import pg from 'pg';

/**
 * A throwaway database owned by the payment service role, migrated with this app's migrations.
 * Unlike @choreo/testing's createTempDatabase (superuser-owned), it migrates as the service's own
 * role, as production does. Local because an app may not import @choreo/testing or @choreo/stack
 * (module boundaries), so the stack's infra/.env is read here directly (process.env wins, as in
 * loadStackConfig). Needs the stack's Postgres: npm run stack:up.
 */
export interface TempDatabase {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const ENV_FILE = fileURLToPath(new URL('../../../../infra/.env', import.meta.url));

let tsLoader: Promise<unknown> | undefined;
/** node-pg-migrate imports migrations with Node's own loader, which cannot read TypeScript under vitest. */
const ensureTsLoader = () => (tsLoader ??= import('tsx/esm/api').then(({ register }) => register()));

export async function createTempDatabase(prefix = 'payment_it'): Promise<TempDatabase> {
  const pgEnv = stackPostgres();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await asSuperuser(pgEnv.superUrl, async (admin) => {
    await admin.query(`CREATE DATABASE ${name} OWNER ${pg.escapeIdentifier(pgEnv.serviceUser)}`);
    await admin.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  });
  const url = pgEnv.serviceUrl(name);
  const logger = createLogger(name, 'silent');
  const dropDatabase = () => asSuperuser(pgEnv.superUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  try {
    await ensureTsLoader();
    await migrate(url, MIGRATIONS_DIR, logger);
  } catch (error) {
    await dropDatabase().catch(() => undefined);
    throw error;
  }
  const pool = createPool(url, logger, { max: 20 });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      await dropDatabase();
    },
  };
}

function stackPostgres() {
  const file = parseEnv(readFileSync(ENV_FILE, 'utf8'));
  const get = (key: string) => {
    const value = process.env[key] ?? file[key];
    if (!value) throw new Error(`${key} missing from ${ENV_FILE}`);
    return encodeURIComponent(value);
  };
  const hostPort = `${get('PG_HOST')}:${get('PG_PORT')}`;
  return {
    superUrl: `postgres://${get('PG_SUPERUSER')}:${get('PG_SUPERPASS')}@${hostPort}/postgres`,
    serviceUser: decodeURIComponent(get('PAYMENT_DB_USER')),
    serviceUrl: (db: string) => `postgres://${get('PAYMENT_DB_USER')}:${get('PAYMENT_DB_PASS')}@${hostPort}/${db}`,
  };
}

async function asSuperuser<T>(superUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: superUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
