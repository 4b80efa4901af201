import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { loadStackConfig } from '@choreo/stack';
import { startContainersStack, type ContainersStack } from '@choreo/testing/containers';

/**
 * A Postgres and a Kafka of the project's own images (Testcontainers, the same helper as
 * CHOREO_STACK=containers) for running one service image alone: nothing of the local stack.
 */
export class ImageInfra {
  private constructor(
    private readonly stack: ContainersStack,
    readonly pgUrl: string,
    readonly kafka: Kafka,
  ) {}

  static async start(): Promise<ImageInfra> {
    const cfg = loadStackConfig({});
    const stack = await startContainersStack(cfg, { toxiproxy: false });
    const kafka = new Kafka({
      clientId: 'choreo-image-test',
      brokers: [`127.0.0.1:${stack.env['KAFKA_PORT']}`],
      logLevel: logLevel.NOTHING,
    });
    try {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: cfg.topics.all.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
      await admin.disconnect();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    const { superUser, superPassword } = cfg.pg;
    return new ImageInfra(stack, `postgres://${superUser}:${superPassword}@127.0.0.1:${stack.env['PG_PORT']}`, kafka);
  }

  get network(): string {
    return this.stack.network.getName();
  }

  /** A fresh database on the test Postgres, and its URL as a container on the network reaches it. */
  async database(name: string): Promise<{ hostUrl: string; networkUrl: string }> {
    await withClient(`${this.pgUrl}/postgres`, (c) => c.query(`CREATE DATABASE ${name}`));
    return { hostUrl: `${this.pgUrl}/${name}`, networkUrl: `${this.pgUrl.replace(/@[^/]+$/, '@postgres:5432')}/${name}` };
  }

  stop(): Promise<void> {
    return this.stack.stop();
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
