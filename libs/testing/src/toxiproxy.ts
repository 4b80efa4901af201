import { loadStackConfig, ToxiproxyClient, type Toxic } from '@choreo/stack';

/** A proxy owned by one test, deleted by `close()`: other suites and running services stay untouched. */
export interface TestProxy {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly client: ToxiproxyClient;
  disable(): Promise<void>;
  enable(): Promise<void>;
  addToxic(toxic: Toxic): Promise<string>;
  removeToxic(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Puts a proxy of the stack's Toxiproxy in front of `upstream` (host:port) on a free port. */
export async function createTestProxy(upstream: string, opts: { name?: string; client?: ToxiproxyClient } = {}): Promise<TestProxy> {
  const client = opts.client ?? ToxiproxyClient.fromConfig(loadStackConfig());
  const name = opts.name ?? `test-${Math.random().toString(36).slice(2, 10)}`;
  const created = await client.createProxy({ name, upstream });
  const [host, port] = splitHostPort(created.listen);
  return {
    name,
    host,
    port,
    client,
    disable: () => client.setEnabled(name, false),
    enable: () => client.setEnabled(name, true),
    addToxic: (toxic) => client.addToxic(name, toxic),
    removeToxic: (toxic) => client.removeToxic(name, toxic),
    close: () => client.deleteProxy(name),
  };
}

function splitHostPort(listen: string): [string, number] {
  const at = listen.lastIndexOf(':');
  const host = listen.slice(0, at).replace(/^\[|\]$/g, '');
  return [host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, Number(listen.slice(at + 1))];
}
