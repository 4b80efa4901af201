import { HttpClient, type ApiResponse, type RequestOptions } from './http-client';

/** The public HTTP API (docs/architecture.md §6), typed for tests, the demo and the chaos suite. */
export type OrderStatus = 'PENDING' | 'AWAITING_PAYMENT' | 'CONFIRMED' | 'CANCELLED';
export type CancellationReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'CUSTOMER_REQUEST' | 'TIMEOUT';
export type TimelineStep = 'PLACED' | 'RESERVED' | 'PAID' | 'CONFIRMED' | 'CANCELLED';

export interface PlaceOrderRequest {
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

export interface OrderView {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPriceCents: number }[];
  readonly totalCents: number;
  readonly cancellationReason?: CancellationReason;
  readonly timeline: readonly { readonly step: TimelineStep; readonly at: string; readonly reason?: CancellationReason }[];
}

export interface ProductView {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
}

export interface AccountView {
  readonly customerId: string;
  readonly balanceCents: number;
}

export type PaymentStatus = 'AUTHORIZED' | 'DECLINED' | 'CAPTURED' | 'REFUNDED';
export interface PaymentView {
  readonly orderId: string;
  readonly status: PaymentStatus;
  readonly amountCents: number;
}

const seg = encodeURIComponent;

export class OrderApi {
  readonly http: HttpClient;
  constructor(baseUrl: string | (() => string)) {
    this.http = new HttpClient(baseUrl);
  }

  /** POST /orders. `idempotencyKey: null` sends no header; `body` may be anything (malformed-input tests). */
  place(body: PlaceOrderRequest | unknown, idempotencyKey: string | null, opts: RequestOptions = {}): Promise<ApiResponse<OrderView>> {
    const headers = { ...opts.headers, ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }) };
    return this.http.request('POST', '/orders', { json: opts.rawBody === undefined ? body : undefined, ...opts, headers });
  }

  get(orderId: string): Promise<ApiResponse<OrderView>> {
    return this.http.request('GET', `/orders/${seg(orderId)}`);
  }

  cancel(orderId: string): Promise<ApiResponse<OrderView>> {
    return this.http.request('POST', `/orders/${seg(orderId)}/cancel`);
  }
}

export class InventoryApi {
  readonly http: HttpClient;
  constructor(
    baseUrl: string | (() => string),
    private readonly adminToken: string,
  ) {
    this.http = new HttpClient(baseUrl);
  }

  /** PUT /products/:sku (admin). `token: null` sends no Authorization header. */
  putProduct(
    sku: string,
    body: { name: string; priceCents: number; available: number } | unknown,
    token: string | null = this.adminToken,
  ): Promise<ApiResponse<ProductView>> {
    return this.http.request('PUT', `/products/${seg(sku)}`, { json: body, ...(token === null ? {} : { bearer: token }) });
  }

  getProduct(sku: string): Promise<ApiResponse<ProductView>> {
    return this.http.request('GET', `/products/${seg(sku)}`);
  }
}

export class PaymentApi {
  readonly http: HttpClient;
  constructor(
    baseUrl: string | (() => string),
    private readonly adminToken: string,
  ) {
    this.http = new HttpClient(baseUrl);
  }

  /** PUT /accounts/:customerId (admin): sets the balance. */
  putAccount(
    customerId: string,
    body: { balanceCents: number } | unknown,
    token: string | null = this.adminToken,
  ): Promise<ApiResponse<AccountView>> {
    return this.http.request('PUT', `/accounts/${seg(customerId)}`, { json: body, ...(token === null ? {} : { bearer: token }) });
  }

  getAccount(customerId: string): Promise<ApiResponse<AccountView>> {
    return this.http.request('GET', `/accounts/${seg(customerId)}`);
  }

  getPayment(orderId: string): Promise<ApiResponse<PaymentView>> {
    return this.http.request('GET', `/payments/${seg(orderId)}`);
  }
}
