import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSpans } from '@choreo/testing';
import { outboxTraceparent } from './trace-context';

const CAUSE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const message = { topic: 'order.events', eventType: 'OrderPlaced', eventId: 'e-1', sagaId: 'o-1' };
const written = (cause: string | null, untraced = cause ?? CAUSE) => outboxTraceparent(message, cause, untraced);

let recorder: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await recorder?.stop();
  recorder = undefined;
});

describe('the traceparent of an outbox row', () => {
  it('when tracing is off, then the row gets a fresh span id in the cause’s trace', async () => {
    const tp = written(CAUSE);
    expect(tp).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(tp).not.toBe(CAUSE);
  });

  it('when a span is active, then the row names an exported create span that is the active span’s child', async () => {
    recorder = recordSpans();
    const request = recorder.tracer.startSpan('POST /orders');
    const tp = context.with(trace.setSpan(context.active(), request), () => written(null, CAUSE));
    request.end();

    const create = recorder.spans().find((s) => s.name === 'create order.events')!;
    expect(tp).toBe(`00-${create.spanContext().traceId}-${create.spanContext().spanId}-01`);
    expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.ended).toBe(true);
    expect(create.attributes).toMatchObject({ 'messaging.message.id': 'e-1', 'choreo.saga_id': 'o-1', 'choreo.event_type': 'OrderPlaced' });
  });

  it('when no span is active, then the create span is a child of the cause’s span and keeps its trace', async () => {
    recorder = recordSpans();
    const tp = written(CAUSE);

    const [create] = recorder.spans();
    expect(create!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(tp).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${create!.spanContext().spanId}-01`);
  });
});
