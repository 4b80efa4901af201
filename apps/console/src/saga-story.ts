import type { ServiceKey, ServicesClient } from './services.client';

/** What the console reads from the services (their admin read endpoints, docs/api). */
interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  totalCents: number;
  cancellationReason?: string;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  timeline: { step: string; at: string; reason?: string }[];
}
interface ReservationView {
  status: string;
  lines: { sku: string; quantity: number }[];
  shortages: { sku: string; requested: number; available: number }[];
  createdAt: string;
  updatedAt: string;
}
interface PaymentHistory {
  payment: { status: string; customerId: string | null; amountCents: number | null; createdAt: string; updatedAt: string };
  ledger: { id: number; kind: string; customerId: string; amountCents: number; at: string }[];
}
interface InboxView {
  consumer: string;
  entries: {
    eventId: string;
    eventType: string;
    aggregateType: string;
    aggregateSeq: number;
    outcome: string;
    reason: string | null;
    receivedAt: string;
    settledAt: string | null;
  }[];
}

/** One line of a saga's story, from whichever service saw it. */
export interface StoryEntry {
  readonly at: string;
  readonly service: ServiceKey;
  readonly kind: 'step' | 'reservation' | 'payment' | 'ledger' | 'inbox';
  readonly what: string;
  readonly outcome?: string;
  readonly detail?: string;
}

export interface SagaStory {
  readonly order: OrderView;
  readonly reservation: ReservationView | null;
  readonly payment: PaymentHistory | null;
  readonly inbox: Readonly<Record<ServiceKey, InboxView['entries']>>;
  readonly story: readonly StoryEntry[];
}

const SERVICES: readonly ServiceKey[] = ['order', 'inventory', 'payment'];

/** A saga across the three services, read through their APIs, merged in time order. */
export async function readSagaStory(client: Pick<ServicesClient, 'get'>, orderId: string): Promise<SagaStory | undefined> {
  const id = encodeURIComponent(orderId);
  const [order, reservation, payment, ...inboxes] = await Promise.all([
    client.get<OrderView>('order', `/orders/${id}`),
    client.get<ReservationView>('inventory', `/admin/reservations/${id}`),
    client.get<PaymentHistory>('payment', `/admin/payments/${id}`),
    ...SERVICES.map((s) => client.get<InboxView>(s, `/admin/sagas/${id}/inbox`)),
  ]);
  if (!order) return undefined;
  const inbox = Object.fromEntries(SERVICES.map((s, i) => [s, inboxes[i]?.entries ?? []])) as SagaStory['inbox'];
  const story: StoryEntry[] = [
    ...order.timeline.map((t): StoryEntry => ({
      at: t.at,
      service: 'order',
      kind: 'step',
      what: `order ${t.step}`,
      ...(t.reason ? { detail: t.reason } : {}),
    })),
    ...(reservation ? reservationEntries(reservation) : []),
    ...(payment ? paymentEntries(payment) : []),
    ...SERVICES.flatMap((service) =>
      inbox[service].map((e): StoryEntry => ({
        at: e.settledAt ?? e.receivedAt,
        service,
        kind: 'inbox',
        what: `${e.eventType} #${e.aggregateSeq} (${e.aggregateType})`,
        outcome: e.outcome,
        ...(e.reason ? { detail: e.reason } : {}),
      })),
    ),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { order, reservation: reservation ?? null, payment: payment ?? null, inbox, story };
}

function reservationEntries(r: ReservationView): StoryEntry[] {
  const lines = r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
  const created: StoryEntry = {
    at: r.createdAt,
    service: 'inventory',
    kind: 'reservation',
    what: 'reservation created',
    detail: lines || undefined,
  };
  if (r.updatedAt === r.createdAt) return [{ ...created, what: `reservation ${r.status}` }];
  return [created, { at: r.updatedAt, service: 'inventory', kind: 'reservation', what: `reservation ${r.status}` }];
}

function paymentEntries({ payment, ledger }: PaymentHistory): StoryEntry[] {
  return [
    { at: payment.createdAt, service: 'payment', kind: 'payment', what: 'payment opened', detail: payment.customerId ?? undefined },
    ...(payment.updatedAt === payment.createdAt
      ? []
      : [{ at: payment.updatedAt, service: 'payment' as const, kind: 'payment' as const, what: `payment ${payment.status}` }]),
    ...ledger.map((l): StoryEntry => ({
      at: l.at,
      service: 'payment',
      kind: 'ledger',
      what: `ledger ${l.kind}`,
      detail: `${l.amountCents} cents, ${l.customerId}`,
    })),
  ];
}
