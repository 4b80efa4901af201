import type { ProxyName, ProxySpec, StackConfig } from './stack-config';

/** Plain-fetch client for the Toxiproxy HTTP API (chaos tests use this). */
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

export interface Toxic {
  name?: string;
  type: ToxicType;
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Required<Toxic>[];
}

export class ToxiproxyClient {
  constructor(readonly url: string) {}

  static fromConfig(cfg: StackConfig): ToxiproxyClient {
    return new ToxiproxyClient(cfg.toxiproxy.url);
  }

  async version(): Promise<string> {
    return (await this.call('GET', '/version')).trim();
  }

  /** Creates or replaces the proxies (idempotent). */
  async populate(proxies: ProxySpec[]): Promise<void> {
    await this.call(
      'POST',
      '/populate',
      proxies.map((p) => ({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true })),
    );
  }

  async proxies(): Promise<Record<string, ProxyState>> {
    return JSON.parse(await this.call('GET', '/proxies')) as Record<string, ProxyState>;
  }

  async proxy(name: ProxyName | string): Promise<ProxyState> {
    return JSON.parse(await this.call('GET', `/proxies/${encodeURIComponent(name)}`)) as ProxyState;
  }

  /** Creates one proxy; listening on port 0 (the default) lets Toxiproxy pick a free port. */
  async createProxy(spec: { name: string; upstream: string; listen?: string }): Promise<ProxyState> {
    return JSON.parse(await this.call('POST', '/proxies', { listen: '127.0.0.1:0', enabled: true, ...spec })) as ProxyState;
  }

  /** Deletes a proxy; one already gone is not an error. */
  async deleteProxy(name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${encodeURIComponent(name)}`, undefined, [404]);
  }

  /** Adds a toxic; returns its name (defaults to `<type>_<stream>`). */
  async addToxic(proxy: ProxyName | string, toxic: Toxic): Promise<string> {
    const body = { stream: 'downstream', toxicity: 1, ...toxic };
    const created = JSON.parse(await this.call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, body)) as { name: string };
    return created.name;
  }

  /** Removes a toxic; one already gone is not an error. */
  async removeToxic(proxy: ProxyName | string, toxicName: string): Promise<void> {
    await this.call('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxicName)}`, undefined, [404]);
  }

  /** Disabling a proxy closes its connections and refuses new ones (a cut cable). */
  async setEnabled(proxy: ProxyName | string, enabled: boolean): Promise<void> {
    const p = await this.proxy(proxy);
    await this.call('POST', `/proxies/${encodeURIComponent(proxy)}`, { ...p, toxics: undefined, enabled });
  }

  /** Re-enables every proxy and removes every toxic. */
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
