import { Context, context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let provider: NodeTracerProvider | undefined;

/**
 * Registers the OpenTelemetry SDK once per process: W3C trace context, an AsyncLocalStorage
 * context manager (so the active span follows a request through every await) and, when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, an OTLP/HTTP
 * exporter. Without an endpoint spans are still made, so the trace context is carried, but they
 * go nowhere. Sampling follows `OTEL_TRACES_SAMPLER` (default: parent-based, always on).
 */
export function setUpTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (provider) return;
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: exporting ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
}

/** Sends the spans still buffered; called when a service shuts down. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** The W3C `traceparent` of a context (the active one by default), if it holds a valid span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The context that a `traceparent` (an HTTP or Kafka header, an outbox entry) names as parent. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Runs `work` inside a consumed event's trace, so whatever it publishes continues that trace. */
export function withinTraceOf<T>(event: { traceContext?: Context }, work: () => Promise<T>): Promise<T> {
  return event.traceContext ? context.with(event.traceContext, work) : work();
}

/** Trace and span ids for log lines, so that the logs and the trace of one check-in can be joined. */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}
