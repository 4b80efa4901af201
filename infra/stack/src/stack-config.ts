/**
 * The typed view of infra/.env — the one source of truth for versions, ports and credentials.
 *
 *   const cfg = loadStackConfig();
 *   cfg.services.order.dbUrl          // postgres://order_svc:…@127.0.0.1:25432/orders  (through Toxiproxy order-pg)
 *   cfg.services.order.dbUrlDirect    // postgres://order_svc:…@127.0.0.1:5432/orders   (no proxy)
 *   cfg.services.order.kafkaBrokers   // ['127.0.0.1:29192']  (through Toxiproxy order-kafka)
 *   cfg.services.order.httpPort       // 3001
 *   cfg.services.order.proxies        // { kafka: 'order-kafka', pg: 'order-pg' }
 *   cfg.services.order.connector      // { name: 'order-outbox', slot: 'choreo_order', topicPrefix: 'orderdb', file }
 *   cfg.kafka.bootstrap               // '127.0.0.1:9092' (direct PLAINTEXT listener: tools, tests, Connect-free paths)
 *   cfg.pg.superUrl                   // superuser DSN, direct
 *   cfg.toxiproxy.url / cfg.connect.url
 *   cfg.jaeger.otlpUrl / .queryUrl    // where services export spans (OTLP/HTTP) and where traces are read back
 *   cfg.topics.events / .dlq / .all   // order.events … product.events, and their .dlq twins
 *   cfg.topics.heartbeats             // choreo.heartbeat.<svc>db: Debezium heartbeats (not events)
 *
 * Every key of infra/.env may be overridden by a process.env variable of the same name.
 * Topology keys that are not in infra/.env (defaults = native, all on 127.0.0.1) let compose
 * reuse the same code: CHOREO_KAFKA_HOST, CHOREO_PROXY_HOST, CHOREO_PROXY_LISTEN_HOST,
 * CHOREO_TOXIPROXY_HOST, CHOREO_CONNECT_HOST, CHOREO_JAEGER_HOST. Directories: CHOREO_CACHE_DIR, CHOREO_STATE_DIR.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { findRepoRoot, readEnvFile } from './env-file';

export const SERVICES = ['order', 'inventory', 'payment'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const AGGREGATE_TYPES = ['order', 'reservation', 'payment', 'product'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];
export const PROXY_CLIENTS = ['order', 'inventory', 'payment', 'connect'] as const;
export type ProxyClient = (typeof PROXY_CLIENTS)[number];
export type ProxyName = `${ProxyClient}-${'kafka' | 'pg'}`;

const port = z.coerce.number().int().min(1).max(65535);
const str = z.string().min(1);
const perClient = (suffix: string, schema: z.ZodType) =>
  Object.fromEntries(PROXY_CLIENTS.map((c) => [suffix.replace('*', c.toUpperCase()), schema]));

const RawEnv = z.object({
  KAFKA_VERSION: str,
  DEBEZIUM_VERSION: str,
  TOXIPROXY_VERSION: z.string().regex(/^v\d+\.\d+\.\d+$/),
  JAEGER_VERSION: z.string().regex(/^v\d+\.\d+\.\d+$/),
  POSTGRES_MAJOR: z.coerce.number().int(),
  PG_HOST: str,
  PG_PORT: port,
  PG_SUPERUSER: str,
  PG_SUPERPASS: str,
  ORDER_DB: str,
  ORDER_DB_USER: str,
  ORDER_DB_PASS: str,
  INVENTORY_DB: str,
  INVENTORY_DB_USER: str,
  INVENTORY_DB_PASS: str,
  PAYMENT_DB: str,
  PAYMENT_DB_USER: str,
  PAYMENT_DB_PASS: str,
  DEBEZIUM_DB_USER: str,
  DEBEZIUM_DB_PASS: str,
  KAFKA_PORT: port,
  KAFKA_CONTROLLER_PORT: port,
  KAFKA_CLUSTER_ID: str,
  ...perClient('KAFKA_*_LISTENER_PORT', port),
  TOPIC_PARTITIONS: z.coerce.number().int().min(1),
  CONNECT_PORT: port,
  TOXIPROXY_PORT: port,
  JAEGER_OTLP_PORT: port,
  JAEGER_QUERY_PORT: port,
  JAEGER_QUERY_GRPC_PORT: port,
  ...perClient('PROXY_*_KAFKA_PORT', port),
  ...perClient('PROXY_*_PG_PORT', port),
  ORDER_HTTP_PORT: port,
  INVENTORY_HTTP_PORT: port,
  PAYMENT_HTTP_PORT: port,
  ADMIN_TOKEN: str,
  SAGA_TIMEOUT_MS: z.coerce.number().int().positive(),
  PIPELINE_NICE: z.coerce.number().int().min(0).max(19),
  CHOREO_KAFKA_HOST: str.default('127.0.0.1'),
  CHOREO_PROXY_HOST: str.default('127.0.0.1'),
  CHOREO_PROXY_LISTEN_HOST: str.default('127.0.0.1'),
  CHOREO_TOXIPROXY_HOST: str.default('127.0.0.1'),
  CHOREO_CONNECT_HOST: str.default('127.0.0.1'),
  CHOREO_JAEGER_HOST: str.default('127.0.0.1'),
  CHOREO_CACHE_DIR: str.optional(),
  CHOREO_STATE_DIR: str.optional(),
});
export type RawStackEnv = z.infer<typeof RawEnv>;

export interface ServiceEndpoints {
  name: ServiceName;
  db: string;
  user: string;
  password: string;
  /** Through Toxiproxy `<svc>-pg`: what the service itself uses. */
  dbUrl: string;
  dbUrlDirect: string;
  /** Through Toxiproxy `<svc>-kafka` (a broker listener advertised at the proxy port). */
  kafkaBrokers: string[];
  httpPort: number;
  proxies: { kafka: ProxyName; pg: ProxyName };
  migrationsDir: string;
  /** heartbeatTopic: where Debezium heartbeats go; producing them is what commits the slot's LSN on an idle DB. */
  connector: { name: string; file: string; slot: string; topicPrefix: string; heartbeatTopic: string };
}

export interface ProxySpec {
  name: ProxyName;
  listen: string;
  upstream: string;
  listenPort: number;
}

export interface StackConfig {
  root: string;
  envFile: string;
  /** infra/.env merged with process.env overrides; used to fill `${VAR}` in infra/debezium/*.json. */
  vars: Record<string, string>;
  versions: { kafka: string; debezium: string; toxiproxy: string; jaeger: string; postgresMajor: number };
  dirs: { cache: string; state: string; logs: string; run: string };
  pg: { host: string; port: number; superUser: string; superPassword: string; superUrl: string };
  debezium: { user: string; password: string };
  kafka: {
    host: string;
    port: number;
    controllerPort: number;
    clusterId: string;
    bootstrap: string;
    listenerPorts: Record<ProxyClient, number>;
  };
  connect: { url: string; port: number; kafkaBrokers: string[]; groupId: string };
  toxiproxy: {
    url: string;
    port: number;
    /** host clients use to reach the proxies */ clientHost: string;
    proxies: Record<ProxyName, ProxySpec>;
  };
  /** Jaeger all-in-one: OTLP/HTTP in (`otlpUrl`, the services' OTEL_EXPORTER_OTLP_ENDPOINT), query API out (`queryUrl`). */
  jaeger: { host: string; otlpPort: number; queryPort: number; queryGrpcPort: number; otlpUrl: string; queryUrl: string };
  services: Record<ServiceName, ServiceEndpoints>;
  /** `all` = events + dlq (what services use); `heartbeats` = Debezium's, one per connector. */
  topics: {
    partitions: number;
    events: string[];
    dlq: string[];
    all: string[];
    byAggregate: Record<AggregateType, string>;
    heartbeats: string[];
  };
  adminToken: string;
  sagaTimeoutMs: number;
  /** The nice value of Kafka, Connect and Jaeger (infra/.env PIPELINE_NICE): batch work yields to the request path. */
  pipelineNice: number;
}

const pgUrl = (user: string, pass: string, host: string, p: number, db: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:${p}/${db}`;

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const root = findRepoRoot(env);
  const envFile = join(root, 'infra', '.env');
  const fileVars = readEnvFile(envFile);
  const merged: Record<string, string> = { ...fileVars };
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (k in fileVars || k.startsWith('CHOREO_'))) merged[k] = v;
  }
  const parsed = RawEnv.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`Invalid stack configuration (${envFile}):\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data as RawStackEnv & Record<string, number>;
  const cache = e.CHOREO_CACHE_DIR ?? join(homedir(), '.cache', 'choreo');
  const state = e.CHOREO_STATE_DIR ?? join(cache, 'state');
  const proxyPort = (c: ProxyClient, kind: 'kafka' | 'pg') => e[`PROXY_${c.toUpperCase()}_${kind.toUpperCase()}_PORT`]!;
  const listenerPort = (c: ProxyClient) => e[`KAFKA_${c.toUpperCase()}_LISTENER_PORT`]!;

  const proxies = {} as Record<ProxyName, ProxySpec>;
  for (const c of PROXY_CLIENTS) {
    proxies[`${c}-kafka`] = {
      name: `${c}-kafka`,
      listenPort: proxyPort(c, 'kafka'),
      listen: `${e.CHOREO_PROXY_LISTEN_HOST}:${proxyPort(c, 'kafka')}`,
      upstream: `${e.CHOREO_KAFKA_HOST}:${listenerPort(c)}`,
    };
    proxies[`${c}-pg`] = {
      name: `${c}-pg`,
      listenPort: proxyPort(c, 'pg'),
      listen: `${e.CHOREO_PROXY_LISTEN_HOST}:${proxyPort(c, 'pg')}`,
      upstream: `${e.PG_HOST}:${e.PG_PORT}`,
    };
  }

  const service = (name: ServiceName): ServiceEndpoints => {
    const U = name.toUpperCase();
    const db = merged[`${U}_DB`]!,
      user = merged[`${U}_DB_USER`]!,
      password = merged[`${U}_DB_PASS`]!;
    return {
      name,
      db,
      user,
      password,
      dbUrl: pgUrl(user, password, e.CHOREO_PROXY_HOST, proxyPort(name, 'pg'), db),
      dbUrlDirect: pgUrl(user, password, e.PG_HOST, e.PG_PORT, db),
      kafkaBrokers: [`${e.CHOREO_PROXY_HOST}:${proxyPort(name, 'kafka')}`],
      httpPort: e[`${U}_HTTP_PORT`]!,
      proxies: { kafka: `${name}-kafka`, pg: `${name}-pg` },
      migrationsDir: join(root, 'apps', `${name}-service`, 'migrations'),
      connector: {
        name: `${name}-outbox`,
        file: join(root, 'infra', 'debezium', `${name}.json`),
        slot: `choreo_${name}`,
        topicPrefix: `${name}db`,
        heartbeatTopic: `choreo.heartbeat.${name}db`,
      },
    };
  };

  const byAggregate = Object.fromEntries(AGGREGATE_TYPES.map((a) => [a, `${a}.events`])) as Record<AggregateType, string>;
  const events = Object.values(byAggregate);
  const dlq = events.map((t) => `${t}.dlq`);

  return {
    root,
    envFile,
    vars: merged,
    versions: {
      kafka: e.KAFKA_VERSION,
      debezium: e.DEBEZIUM_VERSION,
      toxiproxy: e.TOXIPROXY_VERSION,
      jaeger: e.JAEGER_VERSION,
      postgresMajor: e.POSTGRES_MAJOR,
    },
    dirs: { cache, state, logs: join(state, 'logs'), run: join(state, 'run') },
    pg: {
      host: e.PG_HOST,
      port: e.PG_PORT,
      superUser: e.PG_SUPERUSER,
      superPassword: e.PG_SUPERPASS,
      superUrl: pgUrl(e.PG_SUPERUSER, e.PG_SUPERPASS, e.PG_HOST, e.PG_PORT, 'postgres'),
    },
    debezium: { user: e.DEBEZIUM_DB_USER, password: e.DEBEZIUM_DB_PASS },
    kafka: {
      host: e.CHOREO_KAFKA_HOST,
      port: e.KAFKA_PORT,
      controllerPort: e.KAFKA_CONTROLLER_PORT,
      clusterId: e.KAFKA_CLUSTER_ID,
      bootstrap: `${e.CHOREO_KAFKA_HOST}:${e.KAFKA_PORT}`,
      listenerPorts: Object.fromEntries(PROXY_CLIENTS.map((c) => [c, listenerPort(c)])) as Record<ProxyClient, number>,
    },
    connect: {
      url: `http://${e.CHOREO_CONNECT_HOST}:${e.CONNECT_PORT}`,
      port: e.CONNECT_PORT,
      kafkaBrokers: [`${e.CHOREO_PROXY_HOST}:${proxyPort('connect', 'kafka')}`],
      groupId: 'choreo-connect',
    },
    toxiproxy: {
      url: `http://${e.CHOREO_TOXIPROXY_HOST}:${e.TOXIPROXY_PORT}`,
      port: e.TOXIPROXY_PORT,
      clientHost: e.CHOREO_PROXY_HOST,
      proxies,
    },
    jaeger: {
      host: e.CHOREO_JAEGER_HOST,
      otlpPort: e.JAEGER_OTLP_PORT,
      queryPort: e.JAEGER_QUERY_PORT,
      queryGrpcPort: e.JAEGER_QUERY_GRPC_PORT,
      otlpUrl: `http://${e.CHOREO_JAEGER_HOST}:${e.JAEGER_OTLP_PORT}`,
      queryUrl: `http://${e.CHOREO_JAEGER_HOST}:${e.JAEGER_QUERY_PORT}`,
    },
    services: { order: service('order'), inventory: service('inventory'), payment: service('payment') },
    topics: {
      partitions: e.TOPIC_PARTITIONS,
      events,
      dlq,
      all: [...events, ...dlq],
      byAggregate,
      heartbeats: SERVICES.map((s) => `choreo.heartbeat.${s}db`),
    },
    adminToken: e.ADMIN_TOKEN,
    sagaTimeoutMs: e.SAGA_TIMEOUT_MS,
    pipelineNice: e.PIPELINE_NICE,
  };
}
