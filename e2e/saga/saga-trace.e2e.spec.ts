import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eHarness, waitFor } from '@choreo/testing';

/**
 * One saga, one trace (ADR 0017): from POST /orders through each outbox row, Debezium and Kafka,
 * to every consumer's handling and the events it emits, read back from Jaeger's query API as an
 * operator would find it: by the order id that the outbox spans carry.
 */
interface JaegerSpan {
  readonly spanID: string;
  readonly operationName: string;
  readonly processID: string;
  readonly startTime: number;
  readonly references: readonly { readonly refType: string; readonly traceID: string; readonly spanID: string }[];
  readonly tags: readonly { readonly key: string; readonly value: unknown }[];
}
interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
}

const SERVICES = ['order-service', 'inventory-service', 'payment-service'];
let h: E2eHarness;

beforeAll(async () => {
  // Every new trace recorded, so the order's trace exists whatever infra/.env's ratio is.
  const everyTrace = { env: { OTEL_TRACES_SAMPLER_ARG: '1' } };
  h = await E2eHarness.start({ services: { order: everyTrace, inventory: everyTrace, payment: everyTrace } });
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

async function jaeger(path: string): Promise<JaegerTrace[]> {
  const res = await fetch(`${h.cfg.jaeger.queryUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`Jaeger ${path} → ${res.status}`);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}
const tracesOfSaga = (service: string, sagaId: string) =>
  jaeger(
    `/api/traces?${new URLSearchParams({ service, tags: JSON.stringify({ 'choreo.saga_id': sagaId }), lookback: '1h', limit: '20' })}`,
  );

/** The trace's spans with their service, parent and the event they wrote or handled. */
function spansOf(trace: JaegerTrace) {
  const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key)?.value;
  return trace.spans.map((s) => ({
    id: s.spanID,
    name: s.operationName,
    service: trace.processes[s.processID]!.serviceName,
    parent: s.references.find((r) => r.refType === 'CHILD_OF')?.spanID,
    links: s.references.filter((r) => r.refType === 'FOLLOWS_FROM'),
    event: tag(s, 'choreo.event_type') as string | undefined,
    outcome: tag(s, 'choreo.outcome') as string | undefined,
    start: s.startTime,
  }));
}
type TracedSpan = ReturnType<typeof spansOf>[number];

/** Places an order, waits for it to be CONFIRMED and its whole trace to be in Jaeger, and returns that trace. */
async function placeAndTrace(): Promise<JaegerTrace> {
  const { sku } = await h.fixtures.product({ priceCents: 900, available: 3 });
  const customer = await h.fixtures.customer(5_000);
  const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });
  const [order] = await h.waitForTerminal([placed.orderId]);
  expect(order!.status).toBe('CONFIRMED');
  await h.waitForSagaQuiet(placed.orderId);

  // Spans leave each service in batches: poll until the last hop (OrderConfirmed handled by both) is in.
  return waitFor(
    async () => {
      const found = await Promise.all(SERVICES.map((s) => tracesOfSaga(s, placed.orderId)));
      const ids = new Set(found.flat().map((t) => t.traceID));
      if (ids.size !== 1 || found.some((f) => f.length !== 1)) return undefined;
      const only = found[0]![0]!;
      const handledConfirmed = spansOf(only).filter((s) => s.name === 'handle OrderConfirmed' && s.outcome === 'apply').length;
      return handledConfirmed === 2 ? only : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1_000, description: `one Jaeger trace of saga ${placed.orderId} in all three services` },
  );
}

describe('a saga traced end to end', () => {
  it('when an order is placed and confirmed, then Jaeger holds one trace of it with spans of all three services in causal order', async () => {
    const trace = await placeAndTrace();
    const spans = spansOf(trace);
    const byId = new Map(spans.map((s) => [s.id, s]));
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(SERVICES));
    // One root, the order request; every other span's parent is in the same trace.
    const roots = spans.filter((s) => s.parent === undefined);
    expect(roots.map((r) => [r.service, r.name])).toEqual([['order-service', 'POST /orders']]);
    for (const s of spans) if (s.parent !== undefined) expect(byId.has(s.parent), `parent of ${s.service} ${s.name}`).toBe(true);

    const ancestors = (s: TracedSpan): TracedSpan[] =>
      s.parent === undefined ? [] : [byId.get(s.parent)!, ...ancestors(byId.get(s.parent)!)];
    const one = (service: string, name: string, event: string, outcome?: string) => {
      const found = spans.filter((s) => s.service === service && s.name === name && s.event === event && s.outcome === outcome);
      expect(found.map((s) => `${s.service} ${s.name} ${event}`)).toHaveLength(1);
      return found[0]!;
    };
    // A parked event is handled twice (parked, then applied on release): the applied handling caused what followed.
    const applied = (service: string, event: string) => one(service, `handle ${event}`, event, 'apply');
    // The happy path, hop by hop: each consumer span is the child of the span that wrote its outbox row.
    const hops: (readonly [string, string, string])[] = [
      ['order-service', 'order.events', 'OrderPlaced'],
      ['inventory-service', 'reservation.events', 'InventoryReserved'],
      ['payment-service', 'payment.events', 'PaymentAuthorized'],
      ['order-service', 'order.events', 'OrderConfirmed'],
    ];
    const consumers: Record<string, string[]> = {
      OrderPlaced: ['inventory-service', 'payment-service'],
      InventoryReserved: ['payment-service', 'order-service'],
      PaymentAuthorized: ['order-service'],
      OrderConfirmed: ['inventory-service', 'payment-service'],
    };
    let cause = roots[0]!;
    for (const [i, [producer, topic, event]] of hops.entries()) {
      const created = one(producer, `create ${topic}`, event);
      expect(ancestors(created), `${event} written under its cause`).toContain(cause);
      for (const consumer of consumers[event]!) {
        const handled = applied(consumer, event);
        expect(handled.parent, `${consumer} handling ${event}`).toBe(created.id);
        expect(handled.start).toBeGreaterThanOrEqual(created.start);
      }
      const next = hops[i + 1];
      if (next) cause = applied(next[0], event);
    }
  });

  it('when a saga times out, then the cancellation the deadline sweeper writes, and its handling, stay in the trace of the order', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 400, available: 2 });
    const customer = await h.fixtures.customer(5_000);
    await h.services.stop('inventory');
    await h.services.stop('order');
    await h.services.start('order', { env: { OTEL_TRACES_SAMPLER_ARG: '1', SAGA_TIMEOUT_MS: '2000' } });
    let orderId = '';
    try {
      orderId = (await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] })).orderId;
      const [order] = await h.waitForTerminal([orderId]);
      expect(order!.timeline.at(-1)).toMatchObject({ step: 'CANCELLED', reason: 'TIMEOUT' });
    } finally {
      await h.services.stop('order');
      await h.services.start('order');
      await h.services.start('inventory');
    }
    const spans = await waitFor(
      async () => {
        const found = await tracesOfSaga('order-service', orderId);
        if (found.length !== 1) return undefined;
        const all = spansOf(found[0]!);
        return all.some((s) => s.service === 'inventory-service' && s.name === 'handle OrderCancelled') ? all : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 1_000,
        description: `one trace of the timed-out saga ${orderId}, to inventory's handling of its cancellation`,
      },
    );
    const byId = new Map(spans.map((s) => [s.id, s]));
    const ancestors = (s: TracedSpan): TracedSpan[] =>
      s.parent === undefined ? [] : [byId.get(s.parent)!, ...ancestors(byId.get(s.parent)!)];
    const cancelled = spans.find((s) => s.name === 'create order.events' && s.event === 'OrderCancelled')!;
    expect(ancestors(cancelled).map((s) => s.name)).toContain('POST /orders');
    expect(spans.find((s) => s.service === 'inventory-service' && s.name === 'handle OrderCancelled')!.parent).toBe(cancelled.id);
  });

  it("when a consumer settles an event in a batch, then the batch's span under kafkajs' poll links the event's create span, and the handling links back", async () => {
    const trace = await placeAndTrace();
    const spans = spansOf(trace);
    const root = spans.find((s) => s.parent === undefined)!;
    // HTTP and express: the request's route handler; pg: the statements of every service.
    expect(spans.filter((s) => s.parent === root.id).map((s) => s.name)).toContain('request handler');
    for (const service of SERVICES) expect(spans.some((s) => s.service === service && s.name.startsWith('pg.query:'))).toBe(true);

    const created = spans.find((s) => s.name === 'create order.events' && s.event === 'OrderPlaced')!;
    const handled = spans.find((s) => s.service === 'inventory-service' && s.name === 'handle OrderPlaced' && s.outcome === 'apply')!;
    expect(handled.links).toHaveLength(1);
    const [link] = handled.links;
    const batch = await waitFor(
      async () => {
        const [trace] = await jaeger(`/api/traces/${link!.traceID}`);
        const found = trace && spansOf(trace).find((s) => s.id === link!.spanID);
        return found && trace.spans.length > 1 ? { found, spans: spansOf(trace) } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, description: `the batch trace ${link!.traceID} in Jaeger` },
    );
    expect(batch.found).toMatchObject({ service: 'inventory-service', name: 'settle order.events' });
    expect(batch.spans.find((s) => s.id === batch.found.parent)?.name).toBe('poll order.events');
    expect(batch.found.links).toContainEqual(expect.objectContaining({ traceID: trace.traceID, spanID: created.id }));
  });
});
