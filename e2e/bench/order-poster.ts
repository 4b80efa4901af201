import { Agent, request } from 'node:http';

/**
 * POST /orders for the load generator: node:http over a keep-alive agent. The generator runs on
 * the machine it measures, so its own cost per request counts against the system's CPU; fetch
 * with a timeout signal per request costs about twice as much as this.
 */
export class OrderPoster {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly baseUrl: () => string) {}

  /**
   * The status and, for a 2xx, the order id; rejects on a network error or after `timeoutMs`.
   * A connection that broke before an answer came (a kept-alive one the server closed as this
   * request went out, a reset) is retried on a new one, twice at most: safe, since the
   * Idempotency-Key makes a second POST return the first one's order.
   */
  async place(body: unknown, idempotencyKey: string, timeoutMs: number): Promise<{ status: number; orderId?: string }> {
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(payload, idempotencyKey, timeoutMs);
      } catch (error) {
        if (attempt === 3 || !BROKEN_CONNECTION.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      }
    }
  }

  private send(payload: string, idempotencyKey: string, timeoutMs: number): Promise<{ status: number; orderId?: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl()}/orders`,
        {
          method: 'POST',
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'idempotency-key': idempotencyKey,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const orderId = status < 300 ? orderIdOf(Buffer.concat(chunks).toString('utf8')) : undefined;
            resolve({ status, ...(orderId ? { orderId } : {}) });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`POST /orders: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Errors of a connection that broke before the answer: the request may be sent again. */
const BROKEN_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);

function orderIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { orderId?: unknown }).orderId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
