import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortsFree, waitHealthy, waitPortsClosed, type Component } from './component';
import { javaCmd, jvmArgs, properties, writeLog4j } from './jvm';
import { kafkaReady } from './kafka-admin';
import { killProcess, livePid, managed, startDetached, stopProcess } from './process-supervisor';
import { runCommand } from './run-command';
import { PROXY_CLIENTS, type StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';
import { log } from './stack-log';

/**
 * Single-node KRaft broker+controller. Besides PLAINTEXT (direct) and CONTROLLER it has one
 * listener per proxied client, advertised at that client's Toxiproxy port: metadata answers
 * carry the endpoints of the listener a request arrived on, so a client that bootstraps through
 * its proxy keeps talking through it.
 */
export function kafkaComponent(cfg: StackConfig): Component {
  const l = stackLayout(cfg);
  const propsFile = join(l.kafkaDir, 'server.properties');
  const dataDir = join(l.kafkaDir, 'data');
  const proc = managed(cfg.dirs.run, cfg.dirs.logs, 'kafka', propsFile);
  const bind = cfg.kafka.host;
  const healthy = () => kafkaReady(cfg.kafka.bootstrap);
  const ports = () => [cfg.kafka.port, cfg.kafka.controllerPort, ...Object.values(cfg.kafka.listenerPorts)];

  function writeProps(): void {
    const names = PROXY_CLIENTS.map((c) => c.toUpperCase());
    const proxyHost = cfg.toxiproxy.clientHost;
    mkdirSync(l.kafkaDir, { recursive: true });
    writeFileSync(
      propsFile,
      properties({
        'process.roles': 'broker,controller',
        'node.id': 1,
        'controller.quorum.voters': `1@${bind}:${cfg.kafka.controllerPort}`,
        'controller.listener.names': 'CONTROLLER',
        'inter.broker.listener.name': 'PLAINTEXT',
        listeners: [
          `PLAINTEXT://${bind}:${cfg.kafka.port}`,
          `CONTROLLER://${bind}:${cfg.kafka.controllerPort}`,
          ...PROXY_CLIENTS.map((c) => `${c.toUpperCase()}://${bind}:${cfg.kafka.listenerPorts[c]}`),
        ].join(','),
        'advertised.listeners': [
          `PLAINTEXT://${bind}:${cfg.kafka.port}`,
          ...PROXY_CLIENTS.map((c) => `${c.toUpperCase()}://${proxyHost}:${cfg.toxiproxy.proxies[`${c}-kafka`].listenPort}`),
        ].join(','),
        'listener.security.protocol.map': ['PLAINTEXT', 'CONTROLLER', ...names].map((n) => `${n}:PLAINTEXT`).join(','),
        'log.dirs': dataDir,
        'num.partitions': cfg.topics.partitions,
        'auto.create.topics.enable': false,
        'offsets.topic.replication.factor': 1,
        'offsets.topic.num.partitions': 10,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'share.coordinator.state.topic.replication.factor': 1,
        'share.coordinator.state.topic.min.isr': 1,
        'group.initial.rebalance.delay.ms': 0,
        'log.retention.hours': 24,
        'log.segment.bytes': 64 * 1024 * 1024,
      }),
    );
  }

  async function formatOnce(): Promise<void> {
    if (existsSync(join(dataDir, 'meta.properties'))) return;
    log(`formatting KRaft storage in ${dataDir}`);
    await runCommand(javaCmd(), [
      '-cp',
      `${l.kafkaLibs}/*`,
      `-Dlog4j2.configurationFile=${l.log4j}`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      cfg.kafka.clusterId,
      '-c',
      propsFile,
      '--ignore-formatted',
    ]);
  }

  return {
    name: 'kafka',
    port: cfg.kafka.port,
    logFile: proc.logFile,
    pid: () => livePid(proc),
    healthy,
    async start() {
      if (livePid(proc) !== undefined && (await healthy())) return;
      if (livePid(proc) === undefined) {
        writeLog4j(l.log4j);
        writeProps();
        await formatOnce();
        await assertPortsFree('kafka', proc.logFile, bind, ports());
        startDetached(proc, {
          cmd: javaCmd(),
          args: jvmArgs({
            heap: '512m',
            log4j: l.log4j,
            classpath: `${l.kafkaLibs}/*`,
            main: 'kafka.Kafka',
            args: [propsFile],
          }),
          nice: cfg.pipelineNice,
        });
      }
      await waitHealthy('kafka', proc.logFile, healthy, {
        timeoutMs: 90_000,
        what: `kafka on ${cfg.kafka.bootstrap}`,
        alive: () => livePid(proc) !== undefined,
      });
    },
    async stop() {
      if (await stopProcess(proc, 30_000)) await waitPortsClosed(bind, ports());
    },
    async kill() {
      if (await killProcess(proc)) await waitPortsClosed(bind, ports());
    },
  };
}
