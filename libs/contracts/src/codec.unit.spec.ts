import { describe, expect, it } from 'vitest';
import { ContractViolation, decodeEvent, decodePayload, encodePayload, EVENT_CATALOG, EVENT_TYPES } from './index';

const headers = (over: Record<string, string | undefined> = {}) => ({
  eventId: '6f1c1b9e-3a43-4d2c-9a57-1f0b0d3c2a11',
  eventType: 'OrderConfirmed',
  aggregateType: 'order',
  aggregateId: 'o-1',
  aggregateSeq: '2',
  sagaId: 'o-1',
  causationId: '0b6f6b54-61a4-4b47-8a1f-2f9a0f3f0c22',
  occurredAt: '2026-11-29T13:00:00.123Z',
  schemaVersion: '1',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ...over,
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractViolation) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

describe('decodeEvent', () => {
  it('when headers and payload are valid, then it returns the typed event and a coerced envelope', () => {
    const decoded = decodeEvent(headers(), JSON.stringify({ orderId: 'o-1' }));
    expect(decoded.event).toEqual({ type: 'OrderConfirmed', payload: { orderId: 'o-1' } });
    expect(decoded.envelope.aggregateSeq).toBe(2);
    expect(decoded.envelope.schemaVersion).toBe(1);
  });

  it('when causationId is absent (first event of a saga), then it still decodes', () => {
    const decoded = decodeEvent(headers({ causationId: undefined }), JSON.stringify({ orderId: 'o-1' }));
    expect(decoded.envelope.causationId).toBeUndefined();
  });

  it.each([
    ['a missing eventId', headers({ eventId: undefined }), '{"orderId":"o-1"}', 'ENVELOPE_INVALID'],
    ['a non-numeric seq', headers({ aggregateSeq: 'x' }), '{"orderId":"o-1"}', 'ENVELOPE_INVALID'],
    ['a zero seq', headers({ aggregateSeq: '0' }), '{"orderId":"o-1"}', 'ENVELOPE_INVALID'],
    ['an unknown aggregate type', headers({ aggregateType: 'invoice' }), '{"orderId":"o-1"}', 'ENVELOPE_INVALID'],
    ['an unknown event type', headers({ eventType: 'OrderShipped' }), '{"orderId":"o-1"}', 'UNKNOWN_EVENT_TYPE'],
    ['a value that is not JSON', headers(), '{orderId', 'NOT_JSON'],
    ['a null value (tombstone)', headers(), null, 'NOT_JSON'],
    ['a payload missing a field', headers(), '{}', 'PAYLOAD_INVALID'],
    ['an event on the wrong aggregate', headers({ aggregateType: 'payment' }), '{"orderId":"o-1"}', 'ENVELOPE_INVALID'],
    ['a version newer than the consumer', headers({ schemaVersion: '9' }), '{"orderId":"o-1"}', 'UNSUPPORTED_VERSION'],
  ])('when it has %s, then it is rejected as a contract violation', (_name, h, value, expected) => {
    expect(code(() => decodeEvent(h, value))).toBe(expected);
  });
});

describe('payload schemas', () => {
  const placed = { orderId: 'o-1', customerId: 'c-1', items: [{ sku: 'A', quantity: 2, unitPriceCents: 150 }], totalCents: 300 };

  it('when an OrderPlaced is valid, then it encodes at the current version', () => {
    expect(encodePayload('OrderPlaced', placed)).toEqual({ version: 1, payload: placed });
  });

  it.each([
    ['negative money', { ...placed, totalCents: -1 }],
    ['fractional cents', { ...placed, totalCents: 1.5 }],
    ['no items', { ...placed, items: [] }],
    ['zero quantity', { ...placed, items: [{ sku: 'A', quantity: 0, unitPriceCents: 1 }] }],
  ])('when an OrderPlaced has %s, then it is refused', (_name, payload) => {
    expect(code(() => encodePayload('OrderPlaced', payload))).toBe('PAYLOAD_INVALID');
  });

  it('when an OrderCancelled has a reason outside the list, then it is refused', () => {
    expect(code(() => decodePayload('OrderCancelled', 1, { orderId: 'o', reason: 'BORED' }))).toBe('PAYLOAD_INVALID');
  });

  it('when every event type is listed, then each has a topic-bearing aggregate and a schema', () => {
    expect(EVENT_TYPES).toHaveLength(12);
    for (const type of EVENT_TYPES) expect(EVENT_CATALOG[type].schema).toBeDefined();
  });
});

describe('schema evolution', () => {
  it('when a ProductUpserted v1 (decimal price) arrives, then the consumer receives the v2 shape', () => {
    const event = decodePayload('ProductUpserted', 1, { sku: 'A', name: 'Apple', price: 12.34 });
    expect(event).toEqual({ type: 'ProductUpserted', payload: { sku: 'A', name: 'Apple', priceCents: 1234 } });
  });

  it('when a ProductUpserted v2 arrives, then it decodes unchanged', () => {
    const event = decodePayload('ProductUpserted', 2, { sku: 'A', name: 'Apple', priceCents: 1234 });
    expect(event.payload).toEqual({ sku: 'A', name: 'Apple', priceCents: 1234 });
  });

  it('when a v1 payload is malformed, then the upcaster reports a payload violation', () => {
    expect(code(() => decodePayload('ProductUpserted', 1, { sku: 'A', name: 'Apple' }))).toBe('PAYLOAD_INVALID');
  });

  it('when any event type is decoded at every version from 1 to current, then none is unreadable', () => {
    for (const type of EVENT_TYPES) {
      const spec = EVENT_CATALOG[type] as { version: number; upcasters?: Record<number, { lift: unknown }> };
      for (let v = 1; v < spec.version; v++) expect(spec.upcasters?.[v]?.lift, `${type} v${v}`).toBeTypeOf('function');
    }
  });
});
