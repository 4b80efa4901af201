import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StackConfig } from '@choreo/stack';

const DB = 'choreo_bench_reference';
const ROWS = 10_000;

/**
 * One saga step as the database sees it, without CDC, Kafka or Node: the saga lock, an inbox
 * row, the consumer's sequence, the aggregate's state row, the outbox sequence and row — in one
 * transaction, committed (synchronous_commit as the stack runs it).
 */
const STEP_SQL = `\\set id random(1, ${ROWS})
BEGIN;
SELECT pg_advisory_xact_lock(:id);
INSERT INTO inbox (consumer, event_id, aggregate_id, outcome) VALUES ('bench', gen_random_uuid(), :id, 'applied');
INSERT INTO consumer_sequences (consumer, aggregate_id, last_seq) VALUES ('bench', :id, 1)
  ON CONFLICT (consumer, aggregate_id) DO UPDATE SET last_seq = consumer_sequences.last_seq + 1;
UPDATE state SET version = version + 1, doc = jsonb_set(doc, '{version}', to_jsonb(version + 1)) WHERE id = :id;
INSERT INTO outbox_sequences (aggregate_id, last_seq) VALUES (:id, 1)
  ON CONFLICT (aggregate_id) DO UPDATE SET last_seq = outbox_sequences.last_seq + 1;
INSERT INTO outbox (id, aggregate_id, payload) VALUES (gen_random_uuid(), :id, '{"orderId":"o","amountCents":100}');
COMMIT;
`;

const SCHEMA = `
DROP TABLE IF EXISTS inbox, consumer_sequences, state, outbox_sequences, outbox;
CREATE TABLE inbox (consumer text, event_id uuid, aggregate_id int, outcome text, received_at timestamptz DEFAULT now(),
                    settled_at timestamptz DEFAULT now(), PRIMARY KEY (consumer, event_id));
CREATE TABLE consumer_sequences (consumer text, aggregate_id int, last_seq bigint, PRIMARY KEY (consumer, aggregate_id));
CREATE TABLE state (id int PRIMARY KEY, version bigint NOT NULL, doc jsonb NOT NULL);
INSERT INTO state SELECT g, 0, '{"status":"PENDING","version":0}' FROM generate_series(1, ${ROWS}) g;
CREATE TABLE outbox_sequences (aggregate_id int PRIMARY KEY, last_seq bigint);
CREATE TABLE outbox (id uuid PRIMARY KEY, aggregate_id int, payload jsonb, occurred_at timestamptz DEFAULT now());
`;

export interface PgbenchReference {
  readonly clients: number;
  readonly seconds: number;
  /** Saga-step transactions per second PostgreSQL sustained on its own. */
  readonly stepsPerSec: number;
  readonly latencyMs: number;
}

/** Runs pgbench (PostgreSQL's own binary) with the step above against a scratch database. */
export async function runPgbenchReference(cfg: StackConfig, opts: { clients?: number; seconds?: number } = {}): Promise<PgbenchReference> {
  const clients = opts.clients ?? 8;
  const seconds = opts.seconds ?? 10;
  const admin = new pg.Client({ connectionString: cfg.pg.superUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(cfg.pg.superUrl);
  url.pathname = `/${DB}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query(SCHEMA);
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
  const dir = mkdtempSync(join(tmpdir(), 'choreo-pgbench-'));
  try {
    const script = join(dir, 'saga-step.sql');
    writeFileSync(script, STEP_SQL);
    const bin = `/usr/lib/postgresql/${cfg.versions.postgresMajor}/bin/pgbench`;
    const run = spawnSync(
      bin,
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(clients),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-f',
        script,
        '-h',
        cfg.pg.host,
        '-p',
        String(cfg.pg.port),
        '-U',
        cfg.pg.superUser,
        DB,
      ],
      {
        env: { ...process.env, PGPASSWORD: cfg.pg.superPassword },
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`pgbench failed (${run.status}): ${run.stderr || run.stdout}`);
    const tps = /tps = ([\d.]+)/.exec(run.stdout);
    const lat = /latency average = ([\d.]+) ms/.exec(run.stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${run.stdout}`);
    return { clients, seconds, stepsPerSec: Math.round(Number(tps[1])), latencyMs: Number(lat?.[1] ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
