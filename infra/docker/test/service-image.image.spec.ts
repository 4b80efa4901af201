import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMED_TOPICS, CONSUMER_GROUPS } from '@choreo/contracts';
import { loadStackConfig, SERVICES, type ServiceName } from '@choreo/stack';
import { EventInjector, waitFor } from '@choreo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseAllDocuments } from 'yaml';
import { docker, publishedPort } from './docker-cli';
import { ImageInfra, withClient } from './image-infra';

/**
 * Each service image, run alone as a deployment would run it: only its environment, a fresh
 * database it migrates itself, non-root on a read-only root filesystem, probes from its
 * Kubernetes manifest; a bad setting stops it with one line; SIGTERM drains the record in flight
 * and commits its offset. Needs the images (`docker compose -f infra/docker-compose.yml build`).
 */
const cfg = loadStackConfig({});
const adminToken = 'image-test-admin-token-of-forty-characters';
let infra: ImageInfra;
const started: string[] = [];

beforeAll(async () => {
  infra = await ImageInfra.start();
});
afterAll(async () => {
  for (const c of started) docker(['rm', '-f', c], { allowFail: true });
  await infra?.stop();
});

/** The event each service consumes first on an empty database, and what it writes for it. */
const firstEvent = (service: ServiceName, id: string) =>
  service === 'order'
    ? ({ type: 'ProductUpserted', payload: { sku: id, name: 'image test', priceCents: 100 }, aggregateId: id, seq: 1 } as const)
    : ({ type: 'OrderCancelled', payload: { orderId: id, reason: 'CUSTOMER_REQUEST' }, aggregateId: id, seq: 1 } as const);

function probes(service: ServiceName): string[] {
  const docs = parseAllDocuments(readFileSync(join(cfg.root, `infra/k8s/${service}-service.yaml`), 'utf8')).map((d) => d.toJS());
  const container = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
  return [container.livenessProbe, container.readinessProbe].map((p: { httpGet: { path: string } }) => p.httpGet.path);
}

describe.each(SERVICES)('the %s-service image', (service) => {
  const image = `choreo/${service}-service`;
  const port = cfg.services[service].httpPort;
  const name = `choreo-image-test-${service}-${process.pid}`;
  const env = (db: string) => ({ DATABASE_URL: db, KAFKA_BROKERS: 'kafka:19092', ADMIN_TOKEN: adminToken, PORT: String(port) });
  const envArgs = (e: Record<string, string>) => Object.entries(e).flatMap(([k, v]) => ['-e', `${k}=${v}`]);

  it('when a setting is missing or bad, then it exits 1 with one line naming it', () => {
    const missing = docker(['run', '--rm', image], { allowFail: true });
    const bad = docker(['run', '--rm', ...envArgs({ ...env('postgres://u:p@h/d'), KAFKA_SESSION_TIMEOUT_MS: 'soon' }), image], {
      allowFail: true,
    });
    for (const [run, key] of [
      [missing, 'DATABASE_URL'],
      [bad, 'KAFKA_SESSION_TIMEOUT_MS'],
    ] as const) {
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^invalid configuration: .*${key}`))]);
    }
  });

  it('when started with only its environment, non-root on a read-only filesystem, then it migrates its database, serves its probes, and on SIGTERM settles the record in flight, commits its offset and exits 0', async () => {
    const db = await infra.database(`${service}_image_${process.pid}`);
    const hardened = ['--read-only', '--tmpfs', '/tmp', '--user', '1000:1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
    docker([
      'run',
      '-d',
      '--name',
      name,
      '--network',
      infra.network,
      '-p',
      `127.0.0.1::${port}`,
      ...hardened,
      ...envArgs(env(db.networkUrl)),
      image,
    ]);
    started.push(name);
    const base = `http://127.0.0.1:${publishedPort(name, port)}`;
    for (const path of probes(service)) {
      await waitFor(async () => (await fetch(`${base}${path}`)).status === 200, {
        timeoutMs: 90_000,
        description: `${service} ${path} = 200`,
      });
    }
    const migrations = readdirSync(join(cfg.root, `apps/${service}-service/migrations`)).length;
    expect(await withClient(db.hostUrl, async (c) => (await c.query('SELECT count(*)::int AS n FROM pgmigrations')).rows[0].n)).toBe(
      migrations,
    );

    // Hold the inbox so the next record stays in flight, then stop the service while it waits.
    const holder = new pg.Client({ connectionString: db.hostUrl });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE');
    const injector = new EventInjector(infra.kafka);
    const [eventId] = await injector.inject(firstEvent(service, `image-${service}-${process.pid}`));
    await waitFor(
      () =>
        withClient(
          db.hostUrl,
          async (c) =>
            (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount ===
            1,
        ),
      { timeoutMs: 30_000, description: `${service} settling a record, blocked on the inbox` },
    );
    docker(['kill', '--signal', 'TERM', name]);
    await waitFor(() => docker(['logs', name]).stdout.includes('shutting down'), {
      timeoutMs: 10_000,
      description: `${service} logging its shutdown`,
    });
    await holder.query('ROLLBACK');
    await holder.end();
    await injector.close();

    expect(docker(['wait', name], { timeoutMs: 30_000 }).stdout.trim()).toBe('0');
    const settled = await withClient(
      db.hostUrl,
      async (c) => (await c.query('SELECT outcome FROM inbox WHERE event_id = $1', [eventId])).rows,
    );
    expect(settled).toHaveLength(1);
    const topic = CONSUMED_TOPICS[service].find((t) => t === (service === 'order' ? 'product.events' : 'order.events'))!;
    const admin = infra.kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: CONSUMER_GROUPS[service], topics: [topic] });
    const [end] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(committed!.partitions).toEqual([{ partition: 0, offset: end!.high, metadata: null }]);
  });
});
