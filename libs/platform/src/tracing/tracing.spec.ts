import { context, trace } from '@opentelemetry/api';
import { defineEvent, createEvent } from '@crc/contracts';
import { IsString } from 'class-validator';
import { outboxEntry } from '../outbox/outbox-entry';
import { contextFromTraceparent, setUpTracing, traceLogFields, traceparentOf, withinTraceOf } from './tracing';

class Pinged {
  @IsString()
  visitId!: string;
}
const PingedV1Event = defineEvent({ service: 'test', name: 'pinged', version: 1, payload: Pinged, partitionKey: (d) => d.visitId });

describe('tracing', () => {
  beforeAll(() => setUpTracing('tracing-spec', {}));

  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('reads a traceparent and continues it in a child span', () => {
    const parent = contextFromTraceparent(incoming);
    const span = trace.getTracer('spec').startSpan('child', {}, parent);
    const child = traceparentOf(trace.setSpan(parent, span));
    span.end();
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child).not.toBe(incoming);
  });

  it('stores the active trace in an outbox entry, and none outside of a trace', () => {
    const envelope = createEvent(PingedV1Event, { visitId: 'v1' }, { source: '/test' });
    expect(outboxEntry(PingedV1Event, envelope).traceparent).toBeUndefined();
    const entry = context.with(contextFromTraceparent(incoming), () => outboxEntry(PingedV1Event, envelope));
    expect(entry.traceparent).toBe(incoming);
  });

  it("runs a consumer's work inside the event's trace, and names it in log lines", async () => {
    const fields = await withinTraceOf({ traceContext: contextFromTraceparent(incoming) }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return traceLogFields();
    });
    expect(fields).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(traceLogFields()).toEqual({});
  });
});
