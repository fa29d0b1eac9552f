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
  /** True while `outbox` holds entries; the relay's sweep and compaction read by it. */
  outboxPending: boolean;
  /** When events were last added. */
  outboxSince?: Date | null;
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
    outboxSince: { type: Date, default: null },
  });
  // Serves the relay's sweep and compaction: documents with events in their outbox, oldest first.
  schema.index({ outboxPending: 1, outboxSince: 1 });
}

/** The outbox fields of a document inserted together with these events. */
export function newOutbox(entries: OutboxEntry[], now = new Date()): WithOutbox {
  return { outbox: entries, outboxPending: entries.length > 0, outboxSince: entries.length > 0 ? now : null };
}

/** The update that appends events to a document's outbox in the same write as its change. */
export function pushToOutbox(entries: OutboxEntry[], now = new Date()) {
  return { $push: { outbox: { $each: entries } }, $set: { outboxPending: true, outboxSince: now } };
}

/** A projection that leaves the outbox out of what a read returns. */
export const WITHOUT_OUTBOX = { outbox: 0, outboxPending: 0, outboxSince: 0 } as const;
