import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortsFree, waitHealthy, waitPortsClosed, type Component } from './component';
import { javaCmd, jvmArgs, properties, writeLog4j } from './jvm';
import { killProcess, livePid, managed, startDetached, stopProcess } from './process-supervisor';
import type { StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';

/**
 * Kafka Connect in distributed mode (REST API, same as the compose image), one worker.
 * It reaches Kafka through Toxiproxy `connect-kafka` and Postgres through `connect-pg`,
 * so chaos tests can cut either link.
 */
export function connectComponent(cfg: StackConfig): Component {
  const l = stackLayout(cfg);
  const propsFile = join(l.connectDir, 'worker.properties');
  const proc = managed(cfg.dirs.run, cfg.dirs.logs, 'connect', propsFile);
  const host = new URL(cfg.connect.url).hostname;
  const healthy = async () => {
    try {
      const res = await fetch(`${cfg.connect.url}/`, { signal: AbortSignal.timeout(3_000) });
      return res.ok && typeof ((await res.json()) as { version?: string }).version === 'string';
    } catch {
      return false;
    }
  };

  function writeProps(): void {
    mkdirSync(l.connectDir, { recursive: true });
    writeFileSync(
      propsFile,
      properties({
        'bootstrap.servers': cfg.connect.kafkaBrokers.join(','),
        'group.id': cfg.connect.groupId,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': false,
        'config.storage.topic': 'choreo-connect-configs',
        'offset.storage.topic': 'choreo-connect-offsets',
        'status.storage.topic': 'choreo-connect-status',
        'config.storage.replication.factor': 1,
        'offset.storage.replication.factor': 1,
        'offset.storage.partitions': 5,
        'status.storage.replication.factor': 1,
        'status.storage.partitions': 1,
        'offset.flush.interval.ms': 1000,
        listeners: `http://${host}:${cfg.connect.port}`,
        'rest.advertised.host.name': host,
        'rest.advertised.port': cfg.connect.port,
        'plugin.path': l.pluginPath,
        'plugin.discovery': 'service_load', // every plugin ships ServiceLoader manifests; skips the slow scan
        'producer.linger.ms': 0,
        'connector.client.config.override.policy': 'All',
        // One worker: after its own restart it must not wait 5 min for "lost" tasks to come back.
        'scheduled.rebalance.max.delay.ms': 0,
        'task.shutdown.graceful.timeout.ms': 10_000,
      }),
    );
  }

  return {
    name: 'connect',
    port: cfg.connect.port,
    logFile: proc.logFile,
    pid: () => livePid(proc),
    healthy,
    async start() {
      if (livePid(proc) !== undefined && (await healthy())) return;
      if (livePid(proc) === undefined) {
        writeLog4j(l.log4j);
        writeProps();
        await assertPortsFree('connect', proc.logFile, host, [cfg.connect.port]);
        startDetached(proc, {
          cmd: javaCmd(),
          args: jvmArgs({
            heap: '512m',
            log4j: l.log4j,
            classpath: `${l.kafkaLibs}/*`,
            main: 'org.apache.kafka.connect.cli.ConnectDistributed',
            args: [propsFile],
          }),
          nice: cfg.pipelineNice,
        });
      }
      await waitHealthy('connect', proc.logFile, healthy, {
        timeoutMs: 120_000,
        what: `Kafka Connect REST ${cfg.connect.url}`,
        alive: () => livePid(proc) !== undefined,
      });
    },
    async stop() {
      if (await stopProcess(proc, 30_000)) await waitPortsClosed(host, [cfg.connect.port]);
    },
    async kill() {
      if (await killProcess(proc)) await waitPortsClosed(host, [cfg.connect.port]);
    },
  };
}
