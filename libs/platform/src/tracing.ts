import { createRequire } from 'node:module';
import {
  context as otelContext,
  SpanStatusCode,
  type Context,
  type Span,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  readonly serviceName: string;
  /** OTLP/HTTP base URL; undefined turns tracing off. */
  readonly endpoint: string | undefined;
  /** Share of new traces recorded; a trace that arrives with a request or an event keeps its own decision. */
  readonly sampleRatio: number;
}

export interface Tracing {
  /** Exports what is still buffered (at most 2 s); call it after the last span can start. */
  shutdown(): Promise<void>;
}

/** Instrumented packages, required once after the hooks are in (see `instrumentLoaded`). */
const INSTRUMENTED = ['http', 'express', 'pg', 'pg-pool', 'kafkajs'];
/** Probes and scrapes would be most of the traces and tell nothing. */
const UNTRACED_PATHS = /^\/(health\/|metrics$)/;

/**
 * Starts the OpenTelemetry SDK: parent-based ratio sampling, batched OTLP/HTTP export, W3C
 * trace context, and the http, express, pg and kafkajs instrumentations (ADR 0017). Call it
 * before the first pool, server or Kafka client is created. Off (undefined) without an endpoint.
 */
export function startTracing(opts: TracingOptions): Tracing | undefined {
  if (!opts.endpoint) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.sampleRatio) }),
    // A consumer batch's opening and closing statements carry their values as literals: keep a span's statement text short.
    spanLimits: { attributeValueLengthLimit: 2_048 },
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/$/, '')}/v1/traces` }))],
  });
  provider.register({ propagator: new KeepCarriedTraceContext() });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      // Only queries inside a traced operation: the sweepers' polling would otherwise start a trace per tick.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  instrumentLoaded();
  // Spans still buffered get a short flush: a collector that is down must not hold up the shutdown.
  return { shutdown: () => Promise.race([provider.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]) };
}

/** Runs `work` in `ctx` and ends `span` after it, with an error status if it throws. */
export async function runInSpan<T>(span: Span, ctx: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await otelContext.with(ctx, work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The services are ES modules: `import pg from 'pg'` loads the package without passing through
 * `require`, where the instrumentations hook in. Requiring each package once here hands its
 * (shared, cached) exports to them, and they patch it in place, whoever loaded it first: tsx
 * from source, or the esbuild bundle with packages external. No loader flag is needed.
 */
function instrumentLoaded(): void {
  const require = createRequire(import.meta.url);
  for (const name of INSTRUMENTED) require(name);
}

/**
 * W3C trace context that never overwrites a carrier's own `traceparent`. A dead-lettered record
 * is re-published with its original headers: the kafkajs instrumentation would otherwise replace
 * the saga's trace context with its send span's, and a redriven event would leave the saga's trace.
 */
class KeepCarriedTraceContext implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (carrier !== null && typeof carrier === 'object' && 'traceparent' in carrier) return;
    this.w3c.inject(context, carrier, setter);
  }

  extract: TextMapPropagator['extract'] = (context, carrier, getter) => this.w3c.extract(context, carrier, getter);

  fields(): string[] {
    return this.w3c.fields();
  }
}
