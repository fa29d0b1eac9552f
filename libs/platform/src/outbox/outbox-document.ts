import { OutboxEntry } from './outbox-entry';

/** Outbox-bearing documents are keyed by string ids (UUIDs). */
export interface OutboxDocument {
  _id: string;
  outbox: OutboxEntry[];
  outboxPending: boolean;
  /** When events were last added: the sweep's order, and its way to leave fresh ones to the hand-off. Null before there were any, and in documents of an earlier version. */
  outboxSince?: Date | null;
}

/** The record that an event went out: inserted after the broker acknowledged it. */
export interface PublishedEventRecord {
  _id: string;
  documentId: string;
  publishedAt: Date;
}

/** The collection holding a collection's published-event records. */
export const publishedEventsCollectionName = (collectionName: string) => `${collectionName}_published`;
