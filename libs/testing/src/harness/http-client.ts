/** RFC 9457 problem details, as every Choreo service renders its errors. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly { path: string; message: string }[];
  readonly [extension: string]: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly response: ApiResponse<unknown>,
    expected: string,
  ) {
    super(`${response.method} ${response.url} → ${response.status} (expected ${expected}): ${response.text.slice(0, 500)}`);
  }
}

/** One HTTP exchange: status, headers and the body, parsed when it is JSON. */
export class ApiResponse<T> {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    readonly text: string,
    readonly json: unknown,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get contentType(): string {
    return this.headers.get('content-type') ?? '';
  }

  /** The body of a 2xx answer (or of one of `statuses`); anything else throws with what came back. */
  body(...statuses: number[]): T {
    const fine = statuses.length > 0 ? statuses.includes(this.status) : this.ok;
    if (!fine) throw new ApiError(this, statuses.length > 0 ? statuses.join('|') : '2xx');
    return this.json as T;
  }

  /** The problem details of a 4xx/5xx answer; a success throws. */
  problem(): Problem {
    if (this.ok) throw new ApiError(this, 'an error');
    return this.json as Problem;
  }
}

export interface RequestOptions {
  /** Serialised as JSON with content-type application/json. */
  readonly json?: unknown;
  /** Sent as is (malformed JSON, oversized bodies); `contentType` defaults to application/json. */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** `Authorization: Bearer <token>`. */
  readonly bearer?: string;
  readonly timeoutMs?: number;
}

/** Plain fetch against one service's base URL; never throws on an HTTP status, only on I/O. */
export class HttpClient {
  constructor(readonly baseUrl: string | (() => string)) {}

  get base(): string {
    return typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...opts.headers };
    let body: string | undefined;
    if (opts.json !== undefined) body = JSON.stringify(opts.json);
    if (opts.rawBody !== undefined) body = opts.rawBody;
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    if (opts.bearer !== undefined) headers['authorization'] = `Bearer ${opts.bearer}`;
    const url = `${this.base}${path}`;
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return new ApiResponse<T>(method, url, res.status, res.headers, text, json);
  }
}
