import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertPortsFree, ComponentError, waitHealthy, type Component } from './component';
import { pgReady } from './pg-client';
import { isOurs } from './process-supervisor';
import { runCommand } from './run-command';
import type { StackConfig } from './stack-config';
import { runningAsRoot, stackLayout } from './stack-layout';
import { log } from './stack-log';

/** One PostgreSQL instance for all service databases, run with pg_ctl from the apt install. */
export function postgresComponent(cfg: StackConfig): Component {
  const l = stackLayout(cfg);
  const logFile = join(cfg.dirs.logs, 'postgres.log');
  const asPg = (cmd: string, args: string[]) =>
    runningAsRoot() ? runCommand('runuser', ['-u', 'postgres', '--', cmd, ...args]) : runCommand(cmd, args);
  const pgCtl = (...args: string[]) => asPg(join(l.pgBin, 'pg_ctl'), ['-D', l.pgData, ...args]);

  const pid = () => {
    const f = join(l.pgData, 'postmaster.pid');
    if (!existsSync(f)) return undefined;
    const p = Number(readFileSync(f, 'utf8').split('\n')[0]);
    return Number.isInteger(p) && isOurs(p, 'postgres') ? p : undefined;
  };
  const healthy = () => pgReady(cfg.pg.superUrl);

  function ownedDir(dir: string): void {
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (runningAsRoot()) chownSync(dir, pgUid(), pgGid());
  }

  async function initdb(): Promise<void> {
    if (existsSync(join(l.pgData, 'PG_VERSION'))) return;
    log(`initdb ${l.pgData}`);
    ownedDir(l.pgHome);
    const pwfile = join(l.pgHome, '.pwfile');
    writeFileSync(pwfile, `${cfg.pg.superPassword}\n`, { mode: 0o600 });
    if (runningAsRoot()) chownSync(pwfile, pgUid(), pgGid());
    try {
      await asPg(join(l.pgBin, 'initdb'), [
        '-D',
        l.pgData,
        '-U',
        cfg.pg.superUser,
        `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-instructions',
      ]);
    } finally {
      rmSync(pwfile, { force: true });
    }
    const conf = join(l.pgData, 'postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\ninclude 'choreo.conf'\n`);
  }

  function writeSettings(): void {
    // Rewritten on every start, so a port change in infra/.env applies on the next stack:up.
    const f = join(l.pgData, 'choreo.conf');
    writeFileSync(
      f,
      [
        `listen_addresses = '${cfg.pg.host}'`,
        `port = ${cfg.pg.port}`,
        `unix_socket_directories = ''`,
        'max_connections = 300',
        'wal_level = logical',
        'max_wal_senders = 20',
        'max_replication_slots = 20',
        "max_slot_wal_keep_size = '4GB'   # an abandoned slot must not fill the disk",
        "log_line_prefix = '%m [%p] %q%u@%d '",
        'log_min_messages = warning',
        "shared_preload_libraries = 'pg_stat_statements'   # where the database's time goes (see docs/performance.md)",
        'deadlock_timeout = 100ms   # batch transactions that deadlock fall back to one record each; find out soon',
        "max_wal_size = '4GB'   # fewer checkpoints under load, so fewer full-page images in the WAL the slots decode",
        "checkpoint_timeout = '15min'",
        'log_min_error_statement = error',
        '',
      ].join('\n'),
    );
    if (runningAsRoot()) chownSync(f, pgUid(), pgGid());
    mkdirSync(cfg.dirs.logs, { recursive: true });
    if (!isSymlink(logFile)) {
      rmSync(logFile, { force: true });
      symlinkSync(l.pgLogReal, logFile);
    }
  }

  return {
    name: 'postgres',
    port: cfg.pg.port,
    logFile,
    pid,
    healthy,
    async start() {
      if (pid() !== undefined && (await healthy())) return;
      await initdb();
      writeSettings();
      if (pid() === undefined) {
        await assertPortsFree('postgres', logFile, cfg.pg.host, [cfg.pg.port]);
        await pgCtl('-l', l.pgLogReal, '-w', '-t', '60', 'start').catch((err: Error) => {
          throw new ComponentError('postgres', logFile, `pg_ctl start failed: ${err.message}`);
        });
      }
      await waitHealthy('postgres', logFile, healthy, { timeoutMs: 60_000, what: `postgres on ${cfg.pg.host}:${cfg.pg.port}` });
    },
    async stop() {
      if (pid() === undefined) return;
      await pgCtl('-m', 'fast', '-w', '-t', '60', 'stop');
    },
    async kill() {
      if (pid() === undefined) return;
      await pgCtl('-m', 'immediate', '-w', '-t', '30', 'stop');
    },
  };
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

let ids: { uid: number; gid: number } | undefined;
function pgIds() {
  if (!ids) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((x) => x.startsWith('postgres:'));
    if (!line) throw new Error('no `postgres` OS user: is the postgresql package installed?');
    const [, , uid, gid] = line.split(':');
    ids = { uid: Number(uid), gid: Number(gid) };
  }
  return ids;
}
const pgUid = () => pgIds().uid;
const pgGid = () => pgIds().gid;
