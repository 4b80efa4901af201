import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { loadStackConfig } from '@choreo/stack';
import { waitFor } from '@choreo/testing';
import { docker, freePort, publishedPort } from './docker-cli';

/**
 * A Postgres and a Kafka of the project's own images on a network of their own, for running one
 * service image alone: nothing of the local stack, no fixed host port but Kafka's host listener.
 */
export class ImageInfra {
  private constructor(
    readonly network: string,
    readonly pgUrl: string,
    readonly kafka: Kafka,
    private readonly containers: string[],
  ) {}

  static readonly pgPassword = 'image-test-only';

  static async start(): Promise<ImageInfra> {
    const cfg = loadStackConfig({});
    const id = `choreo-image-test-${randomBytes(3).toString('hex')}`;
    const [pgName, kafkaName] = [`${id}-postgres`, `${id}-kafka`];
    const hostPort = await freePort();
    docker(['network', 'create', id]);
    const infra = (url: string, kafka: Kafka) => new ImageInfra(id, url, kafka, [pgName, kafkaName]);
    try {
      docker(
        ['run', '-d', '--name', pgName, '--network', id, '--network-alias', 'postgres', '-p', '127.0.0.1::5432'].concat([
          '-e',
          `POSTGRES_PASSWORD=${ImageInfra.pgPassword}`,
          `choreo/postgres:${cfg.versions.postgresMajor}`,
        ]),
      );
      const listeners = { INTERNAL: 19092, CONTROLLER: 9093, HOST: hostPort };
      const kafkaEnv = {
        CLUSTER_ID: cfg.kafka.clusterId,
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
        KAFKA_LISTENERS: Object.entries(listeners)
          .map(([n, p]) => `${n}://0.0.0.0:${p}`)
          .join(','),
        KAFKA_ADVERTISED_LISTENERS: `INTERNAL://kafka:19092,HOST://127.0.0.1:${hostPort}`,
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: Object.keys(listeners)
          .map((n) => `${n}:PLAINTEXT`)
          .join(','),
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        HEAP_OPTS: '-Xmx384m',
      };
      docker(
        ['run', '-d', '--name', kafkaName, '--network', id, '--network-alias', 'kafka', '-p', `127.0.0.1:${hostPort}:${hostPort}`].concat(
          Object.entries(kafkaEnv).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
          [`choreo/kafka:${cfg.versions.kafka}`],
        ),
      );
      const url = `postgres://postgres:${ImageInfra.pgPassword}@127.0.0.1:${publishedPort(pgName, 5432)}`;
      const kafka = new Kafka({ clientId: 'choreo-image-test', brokers: [`127.0.0.1:${hostPort}`], logLevel: logLevel.NOTHING });
      await waitFor(() => canQuery(`${url}/postgres`), { timeoutMs: 60_000, description: 'the image-test Postgres' });
      await waitFor(() => listsTopics(kafka), { timeoutMs: 90_000, description: 'the image-test Kafka' });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: cfg.topics.all.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
        waitForLeaders: true,
      });
      await admin.disconnect();
      return infra(url, kafka);
    } catch (error) {
      infra('', new Kafka({ brokers: [] })).stop();
      throw error;
    }
  }

  /** A fresh database on the test Postgres, and its URL as a container on the network reaches it. */
  async database(name: string): Promise<{ hostUrl: string; networkUrl: string }> {
    await withClient(`${this.pgUrl}/postgres`, (c) => c.query(`CREATE DATABASE ${name}`));
    return { hostUrl: `${this.pgUrl}/${name}`, networkUrl: `postgres://postgres:${ImageInfra.pgPassword}@postgres:5432/${name}` };
  }

  stop(): void {
    for (const c of this.containers) docker(['rm', '-f', '-v', c], { allowFail: true });
    docker(['network', 'rm', this.network], { allowFail: true });
  }
}

export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function canQuery(url: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query('SELECT 1')).rowCount === 1).catch(() => false);
}

async function listsTopics(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
