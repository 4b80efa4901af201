import { randomBytes, randomUUID } from 'node:crypto';
import { waitFor } from '../wait-for';
import type { InventoryApi, OrderApi, PaymentApi, PlaceOrderRequest, OrderView, ProductView } from './service-apis';
import type { ServiceDbs } from './service-dbs';

const RUN = randomBytes(3).toString('hex');
let counter = 0;

/** An id no other test (and no earlier run on the same stack) uses: `<prefix>-<run>-<n>-<random>`. */
export const uniqueId = (prefix: string): string => `${prefix}-${RUN}-${++counter}-${randomBytes(2).toString('hex')}`;

export const idempotencyKey = (): string => randomUUID();

export interface ProductSeed {
  readonly sku?: string;
  readonly name?: string;
  readonly priceCents?: number;
  readonly available?: number;
}

/**
 * Test data through the admin APIs only. A product counts as seeded once order-service's
 * catalog replica has it at that price (ProductUpserted travelled outbox → Debezium → Kafka),
 * because until then POST /orders answers 422 ORDER.UNKNOWN_SKU.
 */
export class Fixtures {
  constructor(
    private readonly orders: OrderApi,
    private readonly inventory: InventoryApi,
    private readonly payments: PaymentApi,
    private readonly dbs: ServiceDbs,
  ) {}

  async product(seed: ProductSeed = {}, timeoutMs = 30_000): Promise<ProductView> {
    const sku = seed.sku ?? uniqueId('sku');
    const priceCents = seed.priceCents ?? 1_000;
    const body = { name: seed.name ?? `Test product ${sku}`, priceCents, available: seed.available ?? 10 };
    const product = (await this.inventory.putProduct(sku, body)).body();
    await waitFor(async () => (await this.dbs.catalogPrice(sku)) === priceCents, {
      timeoutMs,
      intervalMs: 50,
      description: `order-service's catalog replica to have ${sku} at ${priceCents} cents`,
    });
    return product;
  }

  /** A funded customer account; returns the customer id. */
  async customer(balanceCents = 100_000, customerId = uniqueId('cust')): Promise<string> {
    (await this.payments.putAccount(customerId, { balanceCents })).body();
    return customerId;
  }

  /** POST /orders with a fresh key; expects 201 and returns the order. */
  async placeOrder(request: PlaceOrderRequest, key = idempotencyKey()): Promise<OrderView> {
    return (await this.orders.place(request, key)).body(201);
  }
}
