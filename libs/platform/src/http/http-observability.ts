import { Context, context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ServiceEnvironment } from '../config/service-environment';
import { HttpMetrics } from '../metrics/http-metrics';

const UNMATCHED_ROUTE = 'unmatched';

/**
 * Measures every request (route template, status, duration) and makes it a server span that
 * continues the caller's W3C `traceparent`. The span is the active context for the handler, so the
 * events it stores in an outbox carry the trace on to Kafka. Fastify hooks rather than Nest
 * interceptors: they also see requests refused before a handler runs (404, 415, bad JSON).
 */
export function observeHttp(app: NestFastifyApplication): void {
  const metrics = app.get(HttpMetrics);
  const tracer = trace.getTracer(`crc.${app.get(ServiceEnvironment).serviceName}`);
  const traced = new WeakMap<FastifyRequest, { span: Span; context: Context }>();
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    traced.set(request, { span, context: active });
    context.with(active, done);
  });
  // A request body is read in the socket's async context, not the hook's: enter the span again.
  fastify.addHook('preValidation', (request, _reply, done) => {
    const entry = traced.get(request);
    if (entry) context.with(entry.context, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    const entry = traced.get(request);
    if (entry) {
      entry.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
    }
    done();
  });
}
