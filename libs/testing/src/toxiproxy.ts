import { loadStackConfig } from '@choreo/stack';

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

export interface ToxicSpec {
  readonly name?: string;
  readonly type: ToxicType;
  /** Which direction it applies to; default downstream (server → client). */
  readonly stream?: 'upstream' | 'downstream';
  /** Probability it applies to a connection, 0..1; default 1. */
  readonly toxicity?: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ProxyInfo {
  readonly name: string;
  /** host:port Toxiproxy listens on (the real port when created with port 0). */
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly (ToxicSpec & { name: string })[];
}

/**
 * A Toxiproxy HTTP API client over plain fetch. Works on any proxy, the stack's own or one a
 * test creates; prefer a proxy of your own so other suites and running services are untouched.
 */
export class Toxiproxy {
  constructor(readonly url: string = loadStackConfig().toxiproxy.url) {}

  /** Creates a proxy; listen on port 0 (the default) and Toxiproxy picks a free port. */
  async createProxy(spec: { name: string; upstream: string; listen?: string; enabled?: boolean }): Promise<ProxyInfo> {
    const body = { listen: '127.0.0.1:0', enabled: true, ...spec };
    return JSON.parse(await this.call('POST', '/proxies', body)) as ProxyInfo;
  }

  async proxy(name: string): Promise<ProxyInfo> {
    return JSON.parse(await this.call('GET', `/proxies/${encodeURIComponent(name)}`)) as ProxyInfo;
  }

  async proxies(): Promise<Record<string, ProxyInfo>> {
    return JSON.parse(await this.call('GET', '/proxies')) as Record<string, ProxyInfo>;
  }

  /** Deletes a proxy; a proxy already gone is not an error. */
  async deleteProxy(name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${encodeURIComponent(name)}`, undefined, [404]);
  }

  /** Disabled: existing connections are closed and new ones refused (a cut cable). */
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.call('POST', `/proxies/${encodeURIComponent(name)}`, { enabled });
  }

  disable(name: string): Promise<void> {
    return this.setEnabled(name, false);
  }

  enable(name: string): Promise<void> {
    return this.setEnabled(name, true);
  }

  /** Adds a toxic and returns its name (Toxiproxy's default is `<type>_<stream>`). */
  async addToxic(proxy: string, toxic: ToxicSpec): Promise<string> {
    const body = { stream: 'downstream', toxicity: 1, ...toxic };
    const created = JSON.parse(await this.call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, body)) as { name: string };
    return created.name;
  }

  async removeToxic(proxy: string, toxic: string): Promise<void> {
    await this.call('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, undefined, [404]);
  }

  /** Re-enables EVERY proxy and removes every toxic, the stack's included. For chaos suites that own the stack. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  private async call(method: string, path: string, body?: unknown, tolerated: readonly number[] = []): Promise<string> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (!res.ok && !tolerated.includes(res.status)) throw new Error(`toxiproxy ${method} ${path} → ${res.status}: ${text}`);
    return text;
  }
}

/** A proxy owned by one test, deleted by `close()`. */
export interface TestProxy {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly client: Toxiproxy;
  disable(): Promise<void>;
  enable(): Promise<void>;
  addToxic(toxic: ToxicSpec): Promise<string>;
  removeToxic(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function createTestProxy(upstream: string, opts: { name?: string; client?: Toxiproxy } = {}): Promise<TestProxy> {
  const client = opts.client ?? new Toxiproxy();
  const name = opts.name ?? `test-${Math.random().toString(36).slice(2, 10)}`;
  const created = await client.createProxy({ name, upstream });
  const [host, port] = splitHostPort(created.listen);
  return {
    name,
    host,
    port,
    client,
    disable: () => client.disable(name),
    enable: () => client.enable(name),
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
