import { Schema } from 'mongoose';
import { CloudEventEnvelope, EventDefinition } from '@crc/contracts';
import { traceparentOf } from '../tracing/tracing';

/**
 * An event waiting to be published, stored inside the document whose change it describes, so the
 * change and its event are one write (no multi-document transaction; works on FerretDB too).
 * Only primitives: the relay removes entries by exact equality (`$pullAll`), the one array
 * removal FerretDB and MongoDB both support.
 */
export interface OutboxEntry {
  eventId: string;
  topic: string;
  key: string;
  value: string;
  /** The W3C trace context of the change (its HTTP request, its consumed event), put on the Kafka message. */
  traceparent?: string;
}

/** Made inside the change's own context, whose trace it keeps for the relay (which runs in another). */
export function outboxEntry<T extends object>(definition: EventDefinition<T>, envelope: CloudEventEnvelope<T>): OutboxEntry {
  const traceparent = traceparentOf();
  return {
    eventId: envelope.id,
    topic: definition.topic,
    key: definition.partitionKey(envelope.data),
    value: JSON.stringify(envelope),
    ...(traceparent ? { traceparent } : {}),
  };
}

/** The fields an outbox-bearing document carries. */
export interface WithOutbox {
  outbox: OutboxEntry[];
  /** True while `outbox` may be non-empty; the relay's sweep reads by it. */
  outboxPending: boolean;
  outboxLeaseOwner?: string | null;
  outboxLeaseUntil?: Date | null;
}

const OutboxEntrySchema = new Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, required: true },
    value: { type: String, required: true },
    traceparent: { type: String, required: false },
  },
  { _id: false },
);

/** Adds the outbox fields to a collection's schema. */
export function addOutbox(schema: Schema): void {
  schema.add({
    outbox: { type: [OutboxEntrySchema], default: [] },
    outboxPending: { type: Boolean, default: false },
    outboxLeaseOwner: { type: String, default: null },
    outboxLeaseUntil: { type: Date, default: null },
  });
  // Serves the relay's sweep: documents with events still to publish.
  schema.index({ outboxPending: 1 });
}

/** The update that appends events to a document's outbox in the same write as its change. */
export function pushToOutbox(entries: OutboxEntry[]) {
  return { $push: { outbox: { $each: entries } }, $set: { outboxPending: true } };
}
