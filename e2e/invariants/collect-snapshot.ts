import type {
  AggregateKind,
  ClientView,
  ConsumedRecord,
  DeadLetter,
  GroupLag,
  InboxRow,
  LedgerRow,
  OutboxRow,
  PublishedEvent,
  SourceDb,
  SystemSnapshot,
} from '@choreo/testing';

/** Read access to the three service databases (ServiceDbs satisfies it; tests pass temp databases). */
export interface DbReader {
  query(db: SourceDb, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** What belongs to one run: the customers and skus it created (ids are unique per run). */
export interface RunScope {
  readonly customers: readonly string[];
  readonly skus: readonly string[];
}

export interface SnapshotSources {
  readonly dbs: DbReader;
  readonly client: ClientView;
  readonly scope: RunScope;
  /** Records published to the event and DLQ topics during the run. */
  readonly records: () => Promise<readonly ConsumedRecord[]>;
  readonly lag: () => Promise<readonly GroupLag[]>;
}

const DBS: readonly SourceDb[] = ['order', 'inventory', 'payment'];
const num = (v: unknown) => Number(v);

/** The run's orders: every order of its customers, plus any the client was told about. */
export async function runOrderIds(dbs: DbReader, scope: RunScope, client: ClientView): Promise<string[]> {
  const rows = await dbs.query('order', 'SELECT order_id FROM orders WHERE customer_id = ANY($1)', [scope.customers]);
  return [...new Set([...rows.map((r) => String(r['order_id'])), ...client.orders.map((o) => o.orderId)])];
}

/** Reads everything the invariants need about one run from the databases and Kafka. */
export async function collectSnapshot(src: SnapshotSources): Promise<SystemSnapshot> {
  const { dbs, scope } = src;
  const orderIds = await runOrderIds(dbs, scope, src.client);
  const sagaIds = [...orderIds, ...scope.skus];
  const perDb = async <T>(sql: string, map: (r: Record<string, unknown>, db: SourceDb) => T) =>
    (await Promise.all(DBS.map(async (db) => (await dbs.query(db, sql, [sagaIds])).map((r) => map(r, db))))).flat();

  const [orders, reservations, products, payments, accounts, ledger, outbox, inbox, parked, sequences, records, lag] = await Promise.all([
    dbs.query('order', 'SELECT order_id, customer_id, status, state, total_cents FROM orders WHERE order_id = ANY($1)', [orderIds]),
    dbs.query('inventory', 'SELECT order_id, status FROM reservations WHERE order_id = ANY($1)', [orderIds]),
    dbs.query('inventory', 'SELECT sku, available, reserved, sold, stocked FROM products WHERE sku = ANY($1)', [scope.skus]),
    dbs.query('payment', 'SELECT order_id, customer_id, status, amount_cents FROM payments WHERE order_id = ANY($1)', [orderIds]),
    dbs.query('payment', 'SELECT customer_id, balance_cents FROM accounts WHERE customer_id = ANY($1)', [scope.customers]),
    dbs.query(
      'payment',
      'SELECT customer_id, kind, amount_cents, order_id FROM ledger WHERE customer_id = ANY($1) OR order_id = ANY($2) ORDER BY id',
      [scope.customers, orderIds],
    ),
    perDb(
      'SELECT id, aggregatetype, aggregateid, type, aggregate_seq, saga_id FROM outbox WHERE saga_id = ANY($1)',
      (r, db): OutboxRow => ({
        db,
        eventId: String(r['id']),
        aggregateType: r['aggregatetype'] as AggregateKind,
        aggregateId: String(r['aggregateid']),
        type: String(r['type']),
        seq: num(r['aggregate_seq']),
        sagaId: String(r['saga_id']),
      }),
    ),
    perDb('SELECT * FROM inbox WHERE saga_id = ANY($1)', (r): InboxRow => ({
      consumer: String(r['consumer']),
      eventId: String(r['event_id']),
      eventType: String(r['event_type']),
      aggregateType: String(r['aggregate_type']),
      aggregateId: String(r['aggregate_id']),
      seq: num(r['aggregate_seq']),
      sagaId: String(r['saga_id']),
      outcome: r['outcome'] as InboxRow['outcome'],
      reason: (r['reason'] as string | null) ?? null,
    })),
    perDb('SELECT consumer, event_id, park_key, reason FROM parked_events WHERE park_key = ANY($1)', (r) => ({
      consumer: String(r['consumer']),
      eventId: String(r['event_id']),
      sagaId: String(r['park_key']),
      reason: String(r['reason']),
    })),
    perDb('SELECT consumer, aggregate_type, aggregate_id, last_seq FROM consumer_sequences WHERE aggregate_id = ANY($1)', (r) => ({
      consumer: String(r['consumer']),
      aggregateType: String(r['aggregate_type']),
      aggregateId: String(r['aggregate_id']),
      lastSeq: num(r['last_seq']),
    })),
    src.records(),
    src.lag(),
  ]);

  const inScope = new Set(sagaIds);
  const copies = new Map<string, PublishedEvent>();
  const deadLetters: DeadLetter[] = [];
  for (const r of records) {
    const sagaId = r.headers['sagaId'];
    if (sagaId === undefined || !inScope.has(sagaId)) continue;
    const eventId = r.headers['eventId'] ?? r.headers['id'] ?? '';
    if (r.topic.endsWith('.dlq')) {
      deadLetters.push({
        topic: r.topic,
        eventId: eventId || null,
        sagaId,
        reason: deadLetterReason(r),
        ...(r.headers['dlq.consumer'] ? { consumer: r.headers['dlq.consumer'] } : {}),
      });
      continue;
    }
    const k = `${r.topic}|${eventId}`;
    const seen = copies.get(k);
    copies.set(k, { topic: r.topic, eventId, sagaId, copies: (seen?.copies ?? 0) + 1 });
  }

  return {
    client: src.client,
    orders: orders.map((r) => {
      const state = r['state'] as { items?: { sku: string; quantity: number; unitPriceCents: number }[]; cancellationReason?: string };
      return {
        orderId: String(r['order_id']),
        customerId: String(r['customer_id']),
        status: String(r['status']),
        cancellationReason: state.cancellationReason ?? null,
        totalCents: num(r['total_cents']),
        items: state.items ?? [],
      };
    }),
    reservations: reservations.map((r) => ({ orderId: String(r['order_id']), status: String(r['status']) })),
    products: products.map((r) => ({
      sku: String(r['sku']),
      available: num(r['available']),
      reserved: num(r['reserved']),
      sold: num(r['sold']),
      stocked: num(r['stocked']),
    })),
    payments: payments.map((r) => ({
      orderId: String(r['order_id']),
      customerId: (r['customer_id'] as string | null) ?? null,
      status: String(r['status']),
      amountCents: r['amount_cents'] === null ? null : num(r['amount_cents']),
    })),
    accounts: accounts.map((r) => ({ customerId: String(r['customer_id']), balanceCents: num(r['balance_cents']) })),
    ledger: ledger.map((r): LedgerRow => ({
      customerId: String(r['customer_id']),
      kind: r['kind'] as LedgerRow['kind'],
      amountCents: num(r['amount_cents']),
      orderId: (r['order_id'] as string | null) ?? null,
    })),
    outbox,
    inbox,
    parked,
    sequences,
    published: [...copies.values()],
    deadLetters,
    lag,
  };
}

function deadLetterReason(r: ConsumedRecord): string {
  const h = r.headers;
  return `${h['dlq.consumer'] ?? '?'} ${h['dlq.error.code'] ?? '?'}: ${h['dlq.error.message'] ?? ''}`.trim();
}
