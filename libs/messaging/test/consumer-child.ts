/**
 * A consumer runtime in a process of its own, for crash tests. Configured by environment:
 * DATABASE_URL, BROKERS (comma-separated), TOPIC, GROUP, LABEL, COMMIT_INTERVAL_MS, SESSION_TIMEOUT_MS.
 * Applies every order event as one `effects` row (applied_by = LABEL), serves Prometheus text on
 * GET /metrics, prints `{"ready":true,"metricsPort":…}` once started, and stops cleanly on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createMetricsRegistry } from '@choreo/platform';
import { testLogger } from '@choreo/testing';
import { createConsumerRuntime } from '../src/consumer-runtime';
import { applied, type Handler } from '../src/types';
import { handleAll, recordEffect } from './consumer-harness';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const label = env('LABEL');
const group = env('GROUP');
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 6 });
const registry = createMetricsRegistry(group);
const applyOnce: Handler = async ({ tx, envelope }) => {
  await recordEffect(tx, envelope, label);
  return applied;
};
const runtime = createConsumerRuntime({
  name: group,
  brokers: env('BROKERS').split(','),
  topics: [env('TOPIC')],
  handlers: handleAll(applyOnce, ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled']),
  pool,
  logger: testLogger(`child-${label}`),
  registry,
  commitIntervalMs: Number(env('COMMIT_INTERVAL_MS')),
  sessionTimeoutMs: Number(env('SESSION_TIMEOUT_MS')),
});
const server = createServer((_req, res) => {
  void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
await runtime.start();
console.log(JSON.stringify({ ready: true, label, metricsPort: (server.address() as AddressInfo).port }));

process.once('SIGTERM', () => {
  void (async () => {
    await runtime.stop();
    server.close();
    await pool.end();
    console.log(JSON.stringify({ stopped: true, label }));
    process.exit(0);
  })();
});
