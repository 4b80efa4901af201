import { join } from 'node:path';
import { assertPortsFree, waitHealthy, waitPortsClosed, type Component } from './component';
import { killProcess, livePid, managed, startDetached, stopProcess } from './process-supervisor';
import type { StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';

/**
 * Jaeger all-in-one (v2, built from its Go module by the installer): receives the services'
 * spans over OTLP/HTTP and answers the query API (`/api/services`, `/api/traces/{id}`), with
 * traces kept in memory. The module build has no UI assets, so 16686 serves the API only.
 */
export function jaegerComponent(cfg: StackConfig): Component {
  const l = stackLayout(cfg);
  const proc = managed(cfg.dirs.run, cfg.dirs.logs, 'jaeger', l.jaegerBin);
  const { host, otlpPort, queryPort, queryGrpcPort } = cfg.jaeger;
  const ports = [otlpPort, queryPort, queryGrpcPort];
  const healthy = async () => {
    try {
      return (await fetch(`${cfg.jaeger.queryUrl}/api/services`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  };

  return {
    name: 'jaeger',
    port: queryPort,
    logFile: proc.logFile,
    pid: () => livePid(proc),
    healthy,
    async start() {
      if (livePid(proc) !== undefined && (await healthy())) return;
      if (livePid(proc) === undefined) {
        await assertPortsFree('jaeger', proc.logFile, host, ports);
        startDetached(proc, {
          cmd: l.jaegerBin,
          args: ['--config', join(cfg.root, 'infra', 'stack', 'jaeger', 'config.yaml')],
          env: {
            ...process.env,
            JAEGER_HOST: host,
            JAEGER_OTLP_PORT: String(otlpPort),
            JAEGER_QUERY_PORT: String(queryPort),
            JAEGER_QUERY_GRPC_PORT: String(queryGrpcPort),
          },
          nice: cfg.pipelineNice,
        });
      }
      await waitHealthy('jaeger', proc.logFile, healthy, {
        timeoutMs: 30_000,
        what: `Jaeger query API ${cfg.jaeger.queryUrl}/api/services`,
        alive: () => livePid(proc) !== undefined,
      });
    },
    async stop() {
      if (await stopProcess(proc, 5_000)) await waitPortsClosed(host, ports);
    },
    async kill() {
      if (await killProcess(proc)) await waitPortsClosed(host, ports);
    },
  };
}
