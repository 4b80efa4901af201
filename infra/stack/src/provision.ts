import { connectorsUp } from './slot-recovery';
import { provisionDatabases } from './db-provision';
import type { StackConfig } from './stack-config';
import { log } from './stack-log';
import { ensureTopics } from './topics';
import { ToxiproxyClient } from './toxiproxy.client';
import { waitFor } from './wait';
import { kafkaReady } from './kafka-admin';
import { pgReady } from './pg-client';

/**
 * What the compose `stack-init` container runs once its peers answer: the same proxies, topics,
 * bootstrap SQL, migrations, publications and connector files as the native manager.
 */
export async function provisionOnly(cfg: StackConfig): Promise<void> {
  const toxi = ToxiproxyClient.fromConfig(cfg);
  await waitFor(() => pgReady(cfg.pg.superUrl), { timeoutMs: 120_000, what: 'postgres' });
  await waitFor(async () => (await toxi.version()).length > 0, { timeoutMs: 120_000, what: 'toxiproxy' });
  await toxi.populate(Object.values(cfg.toxiproxy.proxies));
  await waitFor(() => kafkaReady(cfg.kafka.bootstrap), { timeoutMs: 120_000, what: 'kafka' });
  await ensureTopics(cfg);
  await provisionDatabases(cfg);
  await waitFor(async () => (await fetch(`${cfg.connect.url}/`)).ok, { timeoutMs: 180_000, what: 'connect' });
  await connectorsUp(cfg);
  log('provisioned');
}
