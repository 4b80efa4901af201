import { waitFor } from '../wait-for';
import type { ServiceDbs } from './service-dbs';
import type {
  AccountView,
  OrderApi,
  OrderStatus,
  OrderView,
  PaymentApi,
  PaymentStatus,
  PaymentView,
  InventoryApi,
  ProductView,
} from './service-apis';

export const DEFAULT_SAGA_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

export const isTerminal = (order: Pick<OrderView, 'status'>): boolean => order.status === 'CONFIRMED' || order.status === 'CANCELLED';

/**
 * Deadline-bound waits on the public APIs: poll every 50 ms, return as soon as the condition
 * holds, fail with the last value seen. Never a fixed sleep.
 */
export class SagaWaiters {
  /** With `dbs`, waits on many orders read their statuses in one query instead of one GET each per poll. */
  constructor(
    private readonly orders: OrderApi,
    private readonly inventory: InventoryApi,
    private readonly payments: PaymentApi,
    private readonly dbs?: ServiceDbs,
  ) {}

  /** GET /orders/:id until `predicate` holds. */
  waitForOrder(
    orderId: string,
    predicate: (o: OrderView) => boolean,
    description: string,
    timeoutMs = DEFAULT_SAGA_TIMEOUT_MS,
  ): Promise<OrderView> {
    return waitFor(
      async () => {
        const order = (await this.orders.get(orderId)).body();
        return predicate(order) ? order : undefined;
      },
      { timeoutMs, intervalMs: POLL_MS, description: `order ${orderId}: ${description}` },
    );
  }

  waitForOrderStatus(orderId: string, status: OrderStatus, timeoutMs = DEFAULT_SAGA_TIMEOUT_MS): Promise<OrderView> {
    return this.waitForOrder(orderId, (o) => o.status === status, `status ${status}`, timeoutMs);
  }

  /** Waits until every order is CONFIRMED or CANCELLED; returns them in the order given. */
  async waitForTerminal(orderIds: readonly string[], timeoutMs = DEFAULT_SAGA_TIMEOUT_MS): Promise<OrderView[]> {
    // Polling many orders over HTTP would load order-service more than the sagas do.
    if (this.dbs !== undefined && orderIds.length > 5) {
      await this.waitUntilTerminal(orderIds, timeoutMs);
      return Promise.all(orderIds.map(async (id) => (await this.orders.get(id)).body()));
    }
    const done = new Map<string, OrderView>();
    let open = [...orderIds];
    await waitFor(
      async () => {
        const views = await Promise.all(open.map(async (id) => (await this.orders.get(id)).body()));
        for (const v of views) if (isTerminal(v)) done.set(v.orderId, v);
        open = open.filter((id) => !done.has(id));
        return open.length === 0;
      },
      { timeoutMs, intervalMs: POLL_MS, description: terminalDescription(orderIds, open) },
    );
    return orderIds.map((id) => done.get(id)!);
  }

  /** The same, reading order-service's table in one query per poll, without fetching the orders (needs `dbs`). */
  async waitUntilTerminal(orderIds: readonly string[], timeoutMs = DEFAULT_SAGA_TIMEOUT_MS): Promise<void> {
    if (!this.dbs) throw new Error("waitUntilTerminal reads order-service's database: construct SagaWaiters with ServiceDbs");
    const dbs = this.dbs;
    let open = [...orderIds];
    await waitFor(
      async () => {
        const rows = await dbs.query<{ order_id: string }>(
          'order',
          `SELECT order_id FROM orders WHERE order_id = ANY($1) AND status IN ('CONFIRMED', 'CANCELLED')`,
          [open],
        );
        const finished = new Set(rows.map((r) => r.order_id));
        open = open.filter((id) => !finished.has(id));
        return open.length === 0;
      },
      { timeoutMs, intervalMs: POLL_MS, description: terminalDescription(orderIds, open) },
    );
  }

  waitForProduct(
    sku: string,
    predicate: (p: ProductView) => boolean,
    description: string,
    timeoutMs = DEFAULT_SAGA_TIMEOUT_MS,
  ): Promise<ProductView> {
    return waitFor(
      async () => {
        const product = (await this.inventory.getProduct(sku)).body();
        return predicate(product) ? product : undefined;
      },
      { timeoutMs, intervalMs: POLL_MS, description: `product ${sku}: ${description}` },
    );
  }

  waitForBalance(customerId: string, balanceCents: number, timeoutMs = DEFAULT_SAGA_TIMEOUT_MS): Promise<AccountView> {
    return waitFor(
      async () => {
        const account = (await this.payments.getAccount(customerId)).body();
        return account.balanceCents === balanceCents ? account : undefined;
      },
      { timeoutMs, intervalMs: POLL_MS, description: `account ${customerId}: balance ${balanceCents}` },
    );
  }

  /** GET /payments/:orderId until it exists with one of `statuses`. */
  waitForPayment(orderId: string, statuses: readonly PaymentStatus[], timeoutMs = DEFAULT_SAGA_TIMEOUT_MS): Promise<PaymentView> {
    return waitFor(
      async () => {
        const res = await this.payments.getPayment(orderId);
        if (res.status === 404) return undefined;
        const payment = res.body();
        return statuses.includes(payment.status) ? payment : undefined;
      },
      { timeoutMs, intervalMs: POLL_MS, description: `payment of ${orderId}: ${statuses.join(' or ')}` },
    );
  }
}

const terminalDescription = (all: readonly string[], open: readonly string[]) =>
  `${all.length} order(s) to reach CONFIRMED or CANCELLED (${open.length} still open, e.g. ${open.slice(0, 3).join(', ')})`;

export interface SagaTiming {
  readonly orderId: string;
  readonly outcome: string;
  /** Placed → terminal, from order-service's own timeline stamps. */
  readonly totalMs: number;
  /** Each later step's offset from PLACED, e.g. { RESERVED: 41, PAID: 95, CONFIRMED: 95 }. */
  readonly steps: Readonly<Record<string, number>>;
}

/** How long a finished saga took, from its timeline. */
export function sagaTiming(order: OrderView): SagaTiming {
  const placed = Date.parse(order.timeline.find((t) => t.step === 'PLACED')!.at);
  const steps = Object.fromEntries(order.timeline.filter((t) => t.step !== 'PLACED').map((t) => [t.step, Date.parse(t.at) - placed]));
  const last = order.timeline[order.timeline.length - 1]!;
  const outcome = order.status === 'CANCELLED' ? `CANCELLED ${order.cancellationReason}` : order.status;
  return { orderId: order.orderId, outcome, totalMs: Date.parse(last.at) - placed, steps };
}
