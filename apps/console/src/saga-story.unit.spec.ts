import { describe, expect, it } from 'vitest';
import { readSagaStory } from './saga-story';
import type { ServiceKey } from './services.client';

/** The services' answers by service and path; a path not listed is a 404. */
const answering = (answers: Partial<Record<`${ServiceKey} ${string}`, unknown>>) => ({
  get: async <T>(service: ServiceKey, path: string) => answers[`${service} ${path}`] as T | undefined,
});

const order = {
  orderId: 'o-1',
  customerId: 'alice',
  status: 'CANCELLED',
  totalCents: 300,
  cancellationReason: 'TIMEOUT',
  items: [{ sku: 'apple', quantity: 1, unitPriceCents: 300 }],
  timeline: [
    { step: 'PLACED', at: '2026-01-01T00:00:00.000Z' },
    { step: 'CANCELLED', at: '2026-01-01T00:00:30.000Z', reason: 'TIMEOUT' },
  ],
};
const entry = (eventType: string, seq: number, outcome: string, at: string, reason: string | null = null) => ({
  eventId: `e-${eventType}`,
  eventType,
  aggregateType: 'order',
  aggregateSeq: seq,
  outcome,
  reason,
  receivedAt: at,
  settledAt: outcome === 'parked' ? null : at,
});

describe('the saga story', () => {
  it("when the services answer, then the order's steps, the reservation, the payment and every inbox entry are merged in time order", async () => {
    const story = await readSagaStory(
      answering({
        'order /orders/o-1': order,
        'inventory /admin/reservations/o-1': {
          status: 'RELEASED',
          lines: [{ sku: 'apple', quantity: 1 }],
          shortages: [],
          createdAt: '2026-01-01T00:00:40.000Z',
          updatedAt: '2026-01-01T00:00:40.000Z',
        },
        'inventory /admin/sagas/o-1/inbox': {
          consumer: 'inventory-service',
          entries: [
            entry('OrderPlaced', 1, 'dead_lettered', '2026-01-01T00:00:02.000Z', 'handler failed'),
            entry('OrderCancelled', 2, 'parked', '2026-01-01T00:00:31.000Z', 'gap: waiting for order seq 1'),
          ],
        },
        'payment /admin/sagas/o-1/inbox': {
          consumer: 'payment-service',
          entries: [entry('OrderPlaced', 1, 'applied', '2026-01-01T00:00:01.000Z')],
        },
      }),
      'o-1',
    );
    expect(story?.story.map((e) => `${e.service} ${e.what} ${e.outcome ?? ''}`.trim())).toEqual([
      'order order PLACED',
      'payment OrderPlaced #1 (order) applied',
      'inventory OrderPlaced #1 (order) dead_lettered',
      'order order CANCELLED',
      'inventory OrderCancelled #2 (order) parked',
      'inventory reservation RELEASED',
    ]);
    expect(story).toMatchObject({ payment: null, inbox: { order: [] } });
  });

  it('when order-service has no such order, then there is no story', async () => {
    expect(await readSagaStory(answering({}), 'o-1')).toBeUndefined();
  });
});
