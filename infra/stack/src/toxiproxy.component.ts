import { assertPortsFree, waitHealthy, waitPortsClosed, type Component } from './component';
import { killProcess, livePid, managed, startDetached, stopProcess } from './process-supervisor';
import type { StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';
import { ToxiproxyClient } from './toxiproxy.client';

export function toxiproxyComponent(cfg: StackConfig): Component {
  const l = stackLayout(cfg);
  const proc = managed(cfg.dirs.run, cfg.dirs.logs, 'toxiproxy', 'toxiproxy-server');
  const client = ToxiproxyClient.fromConfig(cfg);
  const host = new URL(cfg.toxiproxy.url).hostname;
  const healthy = async () => {
    try {
      return (await client.version()).length > 0;
    } catch {
      return false;
    }
  };

  return {
    name: 'toxiproxy',
    port: cfg.toxiproxy.port,
    logFile: proc.logFile,
    pid: () => livePid(proc),
    healthy,
    async start() {
      if (livePid(proc) === undefined || !(await healthy())) {
        if (livePid(proc) === undefined) {
          await assertPortsFree('toxiproxy', proc.logFile, host, [cfg.toxiproxy.port]);
          const listenHost = Object.values(cfg.toxiproxy.proxies)[0]!.listen.split(':')[0]!;
          await assertPortsFree(
            'toxiproxy',
            proc.logFile,
            listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost,
            Object.values(cfg.toxiproxy.proxies).map((p) => p.listenPort),
          );
          startDetached(proc, { cmd: l.toxiproxyBin, args: ['-host', host, '-port', String(cfg.toxiproxy.port)] });
        }
        await waitHealthy('toxiproxy', proc.logFile, healthy, { timeoutMs: 20_000, what: `toxiproxy API ${cfg.toxiproxy.url}` });
      }
      // Proxies live in toxiproxy's memory: (re)create them on every start, without touching toxics.
      const existing = await client.proxies();
      const missing = Object.values(cfg.toxiproxy.proxies).filter((p) => {
        const e = existing[p.name];
        return !e || e.listen !== p.listen || e.upstream !== p.upstream;
      });
      if (missing.length > 0) await client.populate(missing);
    },
    async stop() {
      if (await stopProcess(proc, 5_000)) await waitPortsClosed(host, [cfg.toxiproxy.port]);
    },
    async kill() {
      if (await killProcess(proc)) await waitPortsClosed(host, [cfg.toxiproxy.port]);
    },
  };
}
