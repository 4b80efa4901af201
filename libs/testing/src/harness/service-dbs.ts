import pg from 'pg';
import { SERVICES, type ServiceName, type StackConfig } from '@choreo/stack';

/**
 * Read access to each service's own database, straight to Postgres (not through the service's
 * Toxiproxy proxy, so a chaos fault on that link never blinds the checker). Connects as the
 * service's role; tests look, they do not write.
 */
export class ServiceDbs {
  private readonly pools: Record<ServiceName, pg.Pool>;

  constructor(cfg: StackConfig) {
    this.pools = Object.fromEntries(
      SERVICES.map((s) => {
        const pool = new pg.Pool({ connectionString: cfg.services[s].dbUrlDirect, max: 4, connectionTimeoutMillis: 5_000 });
        pool.on('error', () => undefined);
        return [s, pool];
      }),
    ) as Record<ServiceName, pg.Pool>;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(
    service: ServiceName,
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> {
    return (await this.pools[service].query<R>(sql, params)).rows;
  }

  /** `SELECT count(*) FROM <table> [WHERE …]` as a number. `table` is a trusted identifier from the test. */
  async count(service: ServiceName, table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ n: string }>(service, `SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params);
    return Number(row!.n);
  }

  /** Row counts of several tables at once, e.g. before/after a request that must store nothing. */
  async counts(service: ServiceName, tables: readonly string[]): Promise<Record<string, number>> {
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await this.count(service, t)] as const)));
  }

  /** The price order-service's catalog replica holds for a sku, if it has seen the product yet. */
  async catalogPrice(sku: string): Promise<number | undefined> {
    const [row] = await this.query<{ price_cents: string }>('order', 'SELECT price_cents FROM catalog WHERE sku = $1', [sku]);
    return row ? Number(row.price_cents) : undefined;
  }

  /** Events a service's consumer holds in `parked_events` for one saga. */
  parkedEvents(service: ServiceName, sagaId: string): Promise<{ event_id: string; reason: string; source_topic: string }[]> {
    return this.query(service, `SELECT event_id, reason, source_topic FROM parked_events WHERE park_key = $1 ORDER BY parked_at`, [sagaId]);
  }

  /** What a service's consumer made of each event of a saga (applied, ignored, parked, dead_lettered). */
  inbox(service: ServiceName, sagaId: string): Promise<{ event_id: string; event_type: string; outcome: string; reason: string | null }[]> {
    return this.query(
      service,
      `SELECT event_id, event_type, outcome, reason FROM inbox WHERE saga_id = $1 ORDER BY received_at, event_id`,
      [sagaId],
    );
  }

  /** Last seq each aggregate of a saga has written to this service's outbox. */
  async outboxSeqs(service: ServiceName, aggregateId: string): Promise<Record<string, number>> {
    const rows = await this.query<{ aggregate_type: string; last_seq: string }>(
      service,
      'SELECT aggregate_type, last_seq FROM outbox_sequences WHERE aggregate_id = $1',
      [aggregateId],
    );
    return Object.fromEntries(rows.map((r) => [r.aggregate_type, Number(r.last_seq)]));
  }

  /** payment-service's ledger movements for one order (CHARGE negative, REFUND positive). */
  async ledger(orderId: string): Promise<{ kind: string; amountCents: number }[]> {
    const rows = await this.query<{ kind: string; amount_cents: string }>(
      'payment',
      'SELECT kind, amount_cents FROM ledger WHERE order_id = $1 ORDER BY id',
      [orderId],
    );
    return rows.map((r) => ({ kind: r.kind, amountCents: Number(r.amount_cents) }));
  }

  async close(): Promise<void> {
    await Promise.allSettled(Object.values(this.pools).map((p) => p.end()));
  }
}
