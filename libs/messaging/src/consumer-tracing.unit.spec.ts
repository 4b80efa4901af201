import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '@choreo/contracts';
import { recordSpans } from '@choreo/testing';
import { inBatchSpan, inHandlingSpan } from './consumer-tracing';
import type { DecodedRecord } from './decode-record';
import { applied, parked } from './types';

const envelope = (sagaId: string, spanId: string): Envelope => ({
  eventId: `e-${sagaId}`,
  eventType: 'OrderPlaced',
  aggregateType: 'order',
  aggregateId: sagaId,
  aggregateSeq: 1,
  sagaId,
  causationId: null,
  occurredAt: new Date(0).toISOString(),
  schemaVersion: 1,
  traceparent: `00-${sagaId.padStart(32, '0')}-${spanId}-01`,
});
const record = (e: Envelope) =>
  ({
    record: { topic: 'order.events', partition: 2, offset: '7', key: e.aggregateId, headers: {}, value: '{}' },
    decoded: { envelope: e },
  }) as unknown as DecodedRecord;

let recorder: ReturnType<typeof recordSpans>;
beforeEach(() => {
  recorder = recordSpans();
});
afterEach(() => recorder.stop());

describe('consumer spans', () => {
  it('when a batch settles two sagas, then its span links both producing spans and each handling is the child of its own', async () => {
    const [a, b] = [envelope('a1', '00000000000000a1'), envelope('b2', '00000000000000b2')];
    await inBatchSpan('payment-service', [record(a), record(b)], async () => {
      await inHandlingSpan('payment-service', a, async () => applied);
      await inHandlingSpan('payment-service', b, async () => parked('inventory not reserved yet'));
    });

    const spans = recorder.spans();
    const batch = spans.find((s) => s.name === 'settle order.events')!;
    expect(batch.links.map((l) => l.context.spanId)).toEqual(['00000000000000a1', '00000000000000b2']);
    expect(batch.attributes).toMatchObject({ 'messaging.batch.message_count': 2, 'messaging.destination.partition.id': '2' });
    const handled = spans.filter((s) => s.name === 'handle OrderPlaced');
    expect(handled.map((s) => [s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([
      ['a1'.padStart(32, '0'), '00000000000000a1'],
      ['b2'.padStart(32, '0'), '00000000000000b2'],
    ]);
    expect(handled.map((s) => s.links[0]?.context.spanId)).toEqual([batch.spanContext().spanId, batch.spanContext().spanId]);
    expect(handled.map((s) => [s.kind, s.attributes['choreo.outcome'], s.attributes['choreo.reason']])).toEqual([
      [SpanKind.CONSUMER, 'apply', undefined],
      [SpanKind.CONSUMER, 'park', 'inventory not reserved yet'],
    ]);
  });

  it('when a handler runs, then the span active inside it is its handling span, where its outbox rows start', async () => {
    const e = envelope('c3', '00000000000000c3');
    let active: string | undefined;
    await inHandlingSpan('order-service', e, async () => {
      active = trace.getSpan(context.active())?.spanContext().spanId;
      return applied;
    });
    expect(active).toBe(recorder.spans()[0]!.spanContext().spanId);
  });

  it('when a handler throws, then its span ends with an error and the error reaches the runtime', async () => {
    const e = envelope('d4', '00000000000000d4');
    await expect(inHandlingSpan('order-service', e, () => Promise.reject(new Error('handler bug')))).rejects.toThrow('handler bug');
    expect(recorder.spans()[0]!.status).toMatchObject({ code: 2, message: 'handler bug' });
  });
});
