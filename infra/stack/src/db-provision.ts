import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { withPg } from './pg-client';
import { runCommand } from './run-command';
import { SERVICES, type ServiceEndpoints, type StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';
import { log } from './stack-log';

/**
 * Database bootstrap, in the order that lets each step rely on the previous one:
 * roles + databases + heartbeat tables (superuser) → each service's migrations (as the
 * service role, so it owns its tables) → outbox grant + publication (superuser).
 */
export async function provisionDatabases(cfg: StackConfig): Promise<void> {
  for (const name of SERVICES) await bootstrapDatabase(cfg, cfg.services[name]);
  for (const name of SERVICES) await migrateService(cfg, cfg.services[name]);
  for (const name of SERVICES) await createPublication(cfg, cfg.services[name]);
}

function psql(cfg: StackConfig, db: string, file: string, vars: Record<string, string>) {
  const l = stackLayout(cfg);
  const bin = existsSync(join(l.pgBin, 'psql')) ? join(l.pgBin, 'psql') : 'psql';
  const args = [
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    cfg.pg.host,
    '-p',
    String(cfg.pg.port),
    '-U',
    cfg.pg.superUser,
    '-d',
    db,
    '-f',
    file,
  ];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  return runCommand(bin, args, { env: { ...process.env, PGPASSWORD: cfg.pg.superPassword, PGCONNECT_TIMEOUT: '10' } });
}

export async function bootstrapDatabase(cfg: StackConfig, svc: ServiceEndpoints): Promise<void> {
  await psql(cfg, 'postgres', stackLayout(cfg).bootstrapSql, {
    db: svc.db,
    db_user: svc.user,
    db_pass: svc.password,
    debezium_user: cfg.debezium.user,
    debezium_pass: cfg.debezium.password,
  });
}

export async function createPublication(cfg: StackConfig, svc: ServiceEndpoints): Promise<void> {
  await psql(cfg, svc.db, stackLayout(cfg).publicationSql, { debezium_user: cfg.debezium.user });
}

/**
 * `node-pg-migrate up` from node_modules, under tsx so TypeScript migrations (and the
 * workspace path aliases they import) load; as the service role over the direct DSN.
 */
export async function migrateService(cfg: StackConfig, svc: ServiceEndpoints): Promise<void> {
  if (!existsSync(svc.migrationsDir)) throw new Error(`no migrations for ${svc.name}-service at ${svc.migrationsDir}`);
  if (await allApplied(svc)) return;
  const require = createRequire(join(cfg.root, 'package.json'));
  const bin = join(require.resolve('node-pg-migrate/package.json').replace(/package\.json$/, ''), 'bin', 'node-pg-migrate.js');
  const t0 = Date.now();
  await runCommand(
    process.execPath,
    ['--import', 'tsx', bin, 'up', '--migrations-dir', svc.migrationsDir, '--migrations-table', 'pgmigrations', '--no-verbose'],
    {
      cwd: cfg.root,
      env: { ...process.env, DATABASE_URL: svc.dbUrlDirect },
    },
  );
  log(`migrations applied for ${svc.name}-service (${Date.now() - t0} ms)`);
}

/** Spawning node-pg-migrate under tsx costs ~2 s per service; skip it when nothing is pending. */
async function allApplied(svc: ServiceEndpoints): Promise<boolean> {
  const files = readdirSync(svc.migrationsDir)
    .filter((f) => !f.startsWith('.') && /\.(ts|js|cjs|mjs|sql)$/.test(f))
    .map((f) => f.replace(/\.[^.]+$/, ''));
  try {
    const applied = await withPg(
      svc.dbUrlDirect,
      async (c) => new Set((await c.query<{ name: string }>('SELECT name FROM pgmigrations')).rows.map((r) => r.name)),
    );
    return files.every((f) => applied.has(f));
  } catch {
    return false; // no pgmigrations table yet
  }
}
