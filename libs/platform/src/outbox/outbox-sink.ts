import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EventPublisher } from '../kafka/event-publisher';
import { contextFromTraceparent, traceparentOf } from '../tracing/tracing';
import { OutboxEntry } from './outbox-entry';

/**
 * Where outbox entries go. Usually Kafka (`kafkaOutboxSink`); reporting also appends to its
 * feeds first. `deliver` must be idempotent per entry: after a crash, entries are delivered again.
 */
export interface OutboxSink {
  /**
   * `firstAttempt`: the entries were handed off as their documents were inserted and were never
   * delivered before (a sink may then skip looking for an earlier delivery).
   */
  deliver(entries: OutboxEntry[], options?: { firstAttempt?: boolean }): Promise<void>;
}

/**
 * Publishes each entry in a producer span that continues the trace stored with it; the span's
 * `traceparent` goes out as a Kafka header, for the consumer to continue.
 */
export function kafkaOutboxSink(publisher: EventPublisher): OutboxSink {
  const tracer = trace.getTracer('crc.outbox');
  return {
    deliver: async (entries) => {
      const spans = entries.map((entry) =>
        entry.traceparent
          ? tracer.startSpan(
              `send ${entry.topic}`,
              {
                kind: SpanKind.PRODUCER,
                attributes: {
                  'messaging.system': 'kafka',
                  'messaging.operation.type': 'send',
                  'messaging.destination.name': entry.topic,
                  'messaging.message.id': entry.eventId,
                },
              },
              contextFromTraceparent(entry.traceparent),
            )
          : undefined,
      );
      try {
        await publisher.publish(
          entries.map((entry, i) => {
            const span = spans[i];
            const traceparent = span ? traceparentOf(trace.setSpan(ROOT_CONTEXT, span)) : undefined;
            return { topic: entry.topic, key: entry.key, value: entry.value, headers: { 'ce-id': entry.eventId, ...(traceparent ? { traceparent } : {}) } };
          }),
        );
      } catch (error) {
        for (const span of spans) span?.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        for (const span of spans) span?.end();
      }
    },
  };
}
