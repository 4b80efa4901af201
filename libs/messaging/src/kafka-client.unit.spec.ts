import { describe, expect, it } from 'vitest';
import { decodeEvent } from '@choreo/contracts';
import { headersToStrings } from './kafka-client';

describe('headersToStrings', () => {
  it('when kafkajs hands Buffers, arrays and strings, then every header becomes one string (the first of an array)', () => {
    expect(
      headersToStrings({
        eventId: Buffer.from('abc'),
        aggregateSeq: [Buffer.from('3'), Buffer.from('4')],
        sagaId: 'o-1',
        empty: Buffer.alloc(0),
      }),
    ).toEqual({ eventId: 'abc', aggregateSeq: '3', sagaId: 'o-1', empty: '' });
  });

  it('when a header is null or undefined, or there are no headers, then it is left out', () => {
    expect(headersToStrings({ a: undefined, b: null, c: [] })).toEqual({});
    expect(headersToStrings(undefined)).toEqual({});
  });

  it('when the headers are what Debezium sends, then the contract decodes them, numbers coerced', () => {
    const wire = {
      eventId: Buffer.from('6f1c1b9e-3a43-4d2c-9a57-1f0b0d3c2a11'),
      eventType: Buffer.from('OrderConfirmed'),
      aggregateType: Buffer.from('order'),
      aggregateId: Buffer.from('o-1'),
      aggregateSeq: Buffer.from('2'),
      sagaId: Buffer.from('o-1'),
      occurredAt: Buffer.from('2026-11-29T13:00:00.123Z'),
      schemaVersion: Buffer.from('1'),
      traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    };
    const { envelope, event } = decodeEvent(headersToStrings(wire), '{"orderId":"o-1"}');
    expect(envelope).toMatchObject({ aggregateSeq: 2, schemaVersion: 1, sagaId: 'o-1' });
    expect(event).toEqual({ type: 'OrderConfirmed', payload: { orderId: 'o-1' } });
  });
});
