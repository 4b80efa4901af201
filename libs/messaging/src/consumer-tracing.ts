import type { Envelope } from '@choreo/contracts';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Link } from '@opentelemetry/api';
import { runInSpan } from '@choreo/platform';
import type { DecodedRecord } from './decode-record';
import type { Outcome } from './types';

/** Looked up per span: the provider may be registered (or, in tests, replaced) after this module loads. */
const tracer = () => trace.getTracer('@choreo/messaging');

const remoteContext = (envelope: Envelope) => propagation.extract(ROOT_CONTEXT, { traceparent: envelope.traceparent });

/**
 * The span of one batch transaction (ADR 0011). Its records belong to different sagas, hence
 * different traces: it links each record's producing span instead of having a parent among them.
 */
export function inBatchSpan<T>(consumer: string, records: readonly DecodedRecord[], work: () => Promise<T>): Promise<T> {
  const links: Link[] = records.flatMap(({ decoded }) => {
    const linked = trace.getSpanContext(remoteContext(decoded.envelope));
    return linked ? [{ context: linked }] : [];
  });
  const first = records[0]?.record;
  const span = tracer().startSpan(`settle ${first?.topic ?? 'batch'}`, {
    links,
    attributes: {
      'messaging.consumer.group.name': consumer,
      'messaging.batch.message_count': records.length,
      ...(first ? { 'messaging.destination.name': first.topic, 'messaging.destination.partition.id': String(first.partition) } : {}),
    },
  });
  return runInSpan(span, trace.setSpan(context.active(), span), work);
}

/**
 * The span of one event's handling (sequencing, then the handler): a child of the span that
 * wrote its outbox row, so the saga's trace runs on through this consumer, and linked to the
 * batch transaction it runs in. The handler's own outbox rows become its children.
 */
export function inHandlingSpan<O extends Outcome>(consumer: string, envelope: Envelope, work: () => Promise<O>): Promise<O> {
  const batch = trace.getSpanContext(context.active());
  const span = tracer().startSpan(
    `handle ${envelope.eventType}`,
    {
      kind: SpanKind.CONSUMER,
      links: batch ? [{ context: batch }] : [],
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': consumer,
        'messaging.message.id': envelope.eventId,
        'choreo.event_type': envelope.eventType,
        'choreo.saga_id': envelope.sagaId,
        'choreo.aggregate_seq': envelope.aggregateSeq,
      },
    },
    remoteContext(envelope),
  );
  return runInSpan(span, trace.setSpan(context.active(), span), async () => {
    const outcome = await work();
    span.setAttribute('choreo.outcome', outcome.kind);
    if (outcome.kind !== 'apply') span.setAttribute('choreo.reason', outcome.reason);
    return outcome;
  });
}
