import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConnector } from '../src/connectors';
import { readEnvFile } from '../src/env-file';
import { loadStackConfig, SERVICES } from '../src/stack-config';

const native = loadStackConfig({});
const root = native.root;
const envFile = readEnvFile(native.envFile);
const composeText = readFileSync(join(root, 'infra', 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Record<string, unknown>>;
  'x-stack-topology': Record<string, string>;
};
const svc = compose.services;
const interpolate = (s: string) =>
  s.replace(/\$\{([A-Z0-9_]+)\}/g, (_, k: string) => {
    if (!(k in envFile)) throw new Error(`compose uses \${${k}}, which infra/.env does not define`);
    return envFile[k]!;
  });
const env = (name: string) => svc[name]!['environment'] as Record<string, string>;
const asCompose = loadStackConfig(compose['x-stack-topology']);

describe('docker compose and the native stack read the same configuration', () => {
  it('when compose interpolates ${VAR}, then every VAR is defined in infra/.env', () => {
    const vars = [...composeText.matchAll(/\$\{([A-Za-z0-9_]+)[^}]*\}/g)].map((m) => m[1]!);
    expect(vars.length).toBeGreaterThan(20);
    expect(vars.filter((v) => !(v in envFile))).toEqual([]);
  });

  it('when a port or version is in infra/.env, then compose never hard-codes it', () => {
    const literal = composeText.replace(/\$\{[^}]+\}/g, '');
    const pinned = Object.entries(envFile)
      .filter(([k]) => /(_PORT|_VERSION)$/.test(k))
      .map(([, v]) => v);
    for (const v of pinned)
      expect(literal, `literal ${v} in docker-compose.yml`).not.toMatch(new RegExp(`(^|[^0-9.])${v.replace(/\./g, '\\.')}([^0-9]|$)`, 'm'));
  });

  it('when compose publishes ports, then they are exactly the ports the native stack listens on', () => {
    const published = Object.values(svc)
      .flatMap((s) => (s['ports'] as string[] | undefined) ?? [])
      .map((p) => interpolate(p).split(':'))
      .map(([host, container]) => {
        expect(host).toBe(container);
        return Number(host);
      });
    const nativePorts = [
      native.pg.port,
      native.kafka.port,
      native.connect.port,
      native.toxiproxy.port,
      ...Object.values(native.toxiproxy.proxies).map((p) => p.listenPort),
      ...SERVICES.map((s) => native.services[s].httpPort),
    ];
    expect(published.sort()).toEqual(nativePorts.sort());
  });

  it('when Kafka and Connect run in compose, then they get the CFS weight of the nice value they run at natively', () => {
    // The kernel's weight for nice n is 1024 / 1.25^n, rounded (sched_prio_to_weight).
    const weight = Math.round(1024 / 1.25 ** native.pipelineNice);
    expect(native.pipelineNice).toBeGreaterThan(0);
    expect({ kafka: svc['kafka']!['cpu_shares'], connect: svc['connect']!['cpu_shares'] }).toEqual({ kafka: weight, connect: weight });
  });

  it('when compose builds images, then their versions come from infra/.env', () => {
    const jvm = { KAFKA_VERSION: '${KAFKA_VERSION}', DEBEZIUM_VERSION: '${DEBEZIUM_VERSION}' };
    const args = (name: string) => (svc[name]!['build'] as { args: Record<string, string> }).args;
    expect(svc['kafka']!['image']).toBe('choreo/kafka:${KAFKA_VERSION}');
    expect(args('kafka')).toEqual(jvm);
    expect(svc['connect']!['image']).toBe('choreo/connect:${DEBEZIUM_VERSION}');
    expect(args('connect')).toEqual(jvm);
    expect(svc['postgres']!['image']).toBe('choreo/postgres:${POSTGRES_MAJOR}');
    expect(args('postgres')).toEqual({ POSTGRES_MAJOR: '${POSTGRES_MAJOR}' });
    expect(args('toxiproxy')).toEqual({ TOXIPROXY_VERSION: '${TOXIPROXY_VERSION}' });
    expect(readFileSync(join(root, 'infra/stack/toxiproxy.Dockerfile'), 'utf8')).toContain(
      'github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}',
    );
  });

  it('when Kafka is configured, then each proxied listener is advertised at the same Toxiproxy port as natively', () => {
    const listeners = interpolate(env('kafka')['KAFKA_LISTENERS']!);
    const advertised = interpolate(env('kafka')['KAFKA_ADVERTISED_LISTENERS']!);
    for (const client of ['order', 'inventory', 'payment', 'connect'] as const) {
      const name = client.toUpperCase();
      expect(listeners).toContain(`${name}://0.0.0.0:${native.kafka.listenerPorts[client]}`);
      expect(advertised).toContain(`${name}://toxiproxy:${native.toxiproxy.proxies[`${client}-kafka`].listenPort}`);
    }
    expect(interpolate(env('kafka')['KAFKA_NUM_PARTITIONS']!)).toBe(String(native.topics.partitions));
    expect(interpolate(env('connect')['CONNECT_BOOTSTRAP_SERVERS']!)).toBe(asCompose.connect.kafkaBrokers.join(','));
  });

  it('when the apps start in compose, then they get the same DSNs and brokers the config gives them (through their proxies)', () => {
    for (const s of SERVICES) {
      const e = env(`${s}-service`);
      expect(interpolate(e['DATABASE_URL']!)).toBe(asCompose.services[s].dbUrl);
      expect(interpolate(e['KAFKA_BROKERS']!)).toBe(asCompose.services[s].kafkaBrokers.join(','));
      expect(Number(interpolate(e['PORT']!))).toBe(native.services[s].httpPort);
    }
  });

  it('when connectors and topics are provisioned, then compose runs the native provisioning code on the same infra/debezium files', () => {
    expect(readFileSync(join(root, 'infra/stack/init.Dockerfile'), 'utf8')).toMatch(/"infra\/stack\/src\/cli\.ts", "provision"\]/);
    expect(svc['stack-init']!['env_file']).toBe('.env');
    const files = readdirSync(join(root, 'infra', 'debezium'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(SERVICES.map((s) => `${s}.json`).sort());
    for (const s of SERVICES) {
      const a = loadConnector(native, native.services[s]).config;
      const b = loadConnector(asCompose, asCompose.services[s]).config;
      expect({ ...b, 'database.hostname': a['database.hostname'] }).toEqual(a);
      expect(b['database.hostname']).toBe('toxiproxy');
      expect(b['database.port']).toBe(envFile['PROXY_CONNECT_PG_PORT']);
    }
    expect(asCompose.topics).toEqual(native.topics);
  });
});
