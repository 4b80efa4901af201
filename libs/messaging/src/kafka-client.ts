import { Kafka, logLevel, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client that logs through pino and keeps reconnecting rather than giving up. */
export function createKafka(clientId: string, brokers: readonly string[], logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}

/**
 * The consumer group member and the DLQ producer of one runtime: the group is the runtime's
 * name; the session timeout decides how soon a dead member's partitions move.
 */
export function createConsumerClients(
  name: string,
  brokers: readonly string[],
  sessionTimeout: number,
  logger: Logger,
): { consumer: Consumer; producer: Producer } {
  const kafka = createKafka(name, brokers, logger);
  const consumer = kafka.consumer({
    groupId: name,
    sessionTimeout,
    heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
    // A resumed partition is fetched on the next poll; kafkajs' 5 s default would delay every retry.
    maxWaitTimeInMs: 500,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8, restartOnFailure: async () => true },
  });
  // Few retries inside kafkajs: a DLQ publish that fails comes back to the runtime's own loop,
  // which pauses only this partition, counts it, and retries it forever.
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 2 } });
  return { consumer, producer };
}

/** kafkajs gives header values as Buffers (or arrays of them); the contract wants strings. */
export function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
