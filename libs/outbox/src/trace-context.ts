import { randomBytes } from 'node:crypto';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type SpanContext } from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** Looked up per span: the provider may be registered (or, in tests, replaced) after this module loads. */
const tracer = () => trace.getTracer('@choreo/outbox');

/** A W3C traceparent for a new span: continues the parent's trace when there is one. */
export function childTraceparent(parent?: string | null): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomBytes(16).toString('hex');
  const flags = match?.[3] ?? '01';
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}

const traceparentOf = (sc: SpanContext) => `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags.toString(16).padStart(2, '0')}`;

/**
 * The span that creates one outbox row's message (OpenTelemetry's messaging `create` operation,
 * kind PRODUCER), and the traceparent the row carries. The span is a child of the active span
 * (the HTTP request, the handling of a consumed event) or, outside any, of the cause's
 * traceparent; it ends at once, as the row is written with the transaction's COMMIT. Downstream,
 * Debezium copies the row's traceparent into a Kafka header and the consumer's span becomes this
 * span's child. With tracing off there is no span to name, and the row gets a fresh span id in
 * `untraced`'s trace.
 */
export function outboxTraceparent(
  message: { readonly topic: string; readonly eventType: string; readonly eventId: string; readonly sagaId: string },
  cause: string | null | undefined,
  untraced: string,
): string {
  const parent = trace.getSpan(context.active()) ? context.active() : propagation.extract(ROOT_CONTEXT, { traceparent: cause });
  const span = tracer().startSpan(
    `create ${message.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'create',
        'messaging.destination.name': message.topic,
        'messaging.message.id': message.eventId,
        'choreo.event_type': message.eventType,
        'choreo.saga_id': message.sagaId,
      },
    },
    parent,
  );
  const own = span.spanContext();
  // No SDK: the API hands back the parent's context (or an invalid one) instead of a new span.
  const exported = isSpanContextValid(own) && own.spanId !== trace.getSpanContext(parent)?.spanId;
  span.end();
  return exported ? traceparentOf(own) : childTraceparent(untraced);
}
