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

export interface ProxyState { name: string; listen: string; upstream: string; enabled: boolean; toxics: Required<Toxic>[] }

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
    await this.call('POST', '/populate', proxies.map((p) => ({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true })));
  }

  async proxies(): Promise<Record<string, ProxyState>> {
    return JSON.parse(await this.call('GET', '/proxies')) as Record<string, ProxyState>;
  }

  async proxy(name: ProxyName): Promise<ProxyState> {
    return JSON.parse(await this.call('GET', `/proxies/${name}`)) as ProxyState;
  }

  /** Adds a toxic; returns its name (defaults to `<type>_<stream>`). */
  async addToxic(proxy: ProxyName, toxic: Toxic): Promise<string> {
    const body = { stream: 'downstream', toxicity: 1, ...toxic };
    const created = JSON.parse(await this.call('POST', `/proxies/${proxy}/toxics`, body)) as { name: string };
    return created.name;
  }

  async removeToxic(proxy: ProxyName, toxicName: string): Promise<void> {
    await this.call('DELETE', `/proxies/${proxy}/toxics/${toxicName}`);
  }

  /** Disabling a proxy closes its connections and refuses new ones (a cut cable). */
  async setEnabled(proxy: ProxyName, enabled: boolean): Promise<void> {
    const p = await this.proxy(proxy);
    await this.call('POST', `/proxies/${proxy}`, { ...p, toxics: undefined, enabled });
  }

  /** Re-enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  private async call(method: string, path: string, body?: unknown): Promise<string> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path} → ${res.status}: ${text}`);
    return text;
  }
}
