import { AppError } from '@choreo/platform';

export type ServiceKey = 'order' | 'inventory' | 'payment';

export interface ServicesClientOptions {
  readonly urls: Readonly<Record<ServiceKey, string>>;
  readonly adminToken: string;
  readonly timeoutMs: number;
}

/**
 * The console's only way to the services' state: their HTTP APIs, with the admin token. A 404
 * is an answer (the service has not heard of it); anything else unexpected is a 502 naming the
 * service, so the page says which one failed.
 */
export class ServicesClient {
  constructor(private readonly opts: ServicesClientOptions) {}

  async get<T>(service: ServiceKey, path: string): Promise<T | undefined> {
    const url = `${this.opts.urls[service]}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { Authorization: `Bearer ${this.opts.adminToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (error) {
      throw new AppError(502, 'CONSOLE.SERVICE_UNAVAILABLE', `${service}-service did not answer GET ${path}: ${(error as Error).message}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new AppError(502, 'CONSOLE.SERVICE_UNAVAILABLE', `${service}-service answered GET ${path} with ${res.status}`);
    return (await res.json()) as T;
  }
}
