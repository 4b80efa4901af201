/**
 * CHOREO_STACK=containers: PostgreSQL, Kafka and Toxiproxy started by Testcontainers from the
 * project's own images (docker compose -f infra/docker-compose.yml build), instead of the native
 * stack. The integration specs are the same; they find these through the environment overrides
 * returned here (PG_PORT, KAFKA_PORT, TOXIPROXY_PORT), which loadStackConfig() reads like any
 * infra/.env key. Ryuk cannot be pulled without a registry, so it is off and stop() cleans up.
 */
import type { StackConfig } from '@choreo/stack';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { freePort } from './free-port';

export interface ContainersStack {
  /** The overrides that point loadStackConfig() at these containers. */
  readonly env: Record<string, string>;
  /** Where other containers reach them: `postgres:5432`, `kafka:19092`. */
  readonly network: StartedNetwork;
  stop(): Promise<void>;
}

export async function startContainersStack(cfg: StackConfig, opts: { toxiproxy?: boolean } = {}): Promise<ContainersStack> {
  process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
  // The machine may carry a stray /.dockerenv; published ports are on this host either way.
  process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= '127.0.0.1';
  const [kafkaPort, toxiproxyPort] = [await freePort(), await freePort()];
  const network = await new Network().start();
  const started: StartedTestContainer[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((c) => c.stop({ remove: true, removeVolumes: true })));
    await network.stop().catch(() => undefined);
  };
  try {
    const [postgres] = await Promise.all([
      startPostgres(cfg, network).then((c) => (started.push(c), c)),
      startKafka(cfg, network, kafkaPort).then((c) => (started.push(c), c)),
      opts.toxiproxy === false ? undefined : startToxiproxy(cfg, toxiproxyPort).then((c) => (started.push(c), c)),
    ]);
    return {
      env: {
        PG_HOST: '127.0.0.1',
        PG_PORT: String(postgres.getMappedPort(5432)),
        KAFKA_PORT: String(kafkaPort),
        TOXIPROXY_PORT: String(toxiproxyPort),
      },
      network,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const startPostgres = (cfg: StackConfig, network: StartedNetwork) =>
  new GenericContainer(`choreo/postgres:${cfg.versions.postgresMajor}`)
    .withNetwork(network)
    .withNetworkAliases('postgres')
    .withEnvironment({ POSTGRES_USER: cfg.pg.superUser, POSTGRES_PASSWORD: cfg.pg.superPassword })
    .withCommand(['postgres', '-c', 'wal_level=logical', '-c', 'max_connections=300', '-c', 'deadlock_timeout=100ms'])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forSuccessfulCommand('pg_isready -h 127.0.0.1 -p 5432'))
    .start();

/** KRaft, one node; its host listener is advertised at a fixed free port, published as itself. */
const startKafka = (cfg: StackConfig, network: StartedNetwork, port: number) =>
  new GenericContainer(`choreo/kafka:${cfg.versions.kafka}`)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withEnvironment({
      CLUSTER_ID: cfg.kafka.clusterId,
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_LISTENERS: `HOST://0.0.0.0:${port},INTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `HOST://127.0.0.1:${port},INTERNAL://kafka:19092`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      HEAP_OPTS: '-Xmx512m',
    })
    .withExposedPorts({ container: port, host: port })
    .withWaitStrategy(Wait.forLogMessage('Kafka Server started'))
    .withStartupTimeout(120_000)
    .start();

/** On the host network, so the proxies a test creates reach the published Postgres and are reached at 127.0.0.1. */
const startToxiproxy = (cfg: StackConfig, port: number) =>
  new GenericContainer(`choreo/toxiproxy:${cfg.versions.toxiproxy}`)
    .withNetworkMode('host')
    .withCommand(['-host=127.0.0.1', `-port=${port}`])
    .withWaitStrategy(Wait.forSuccessfulCommand(`bash -c '</dev/tcp/127.0.0.1/${port}'`))
    .start();
