import type { Collection } from 'mongodb';
import { LogSink } from '../logging/log-sink';
import { InsertBatcher } from '../mongo/insert-batcher';
import type { StoreProfile } from '../store/store-profile';
import { OutboxDocument, PublishedEventRecord } from './outbox-document';
import { OutboxEntry } from './outbox-entry';
import { OutboxSink } from './outbox-sink';

export type PendingDocument = { id: string; entries: OutboxEntry[] };

/** The relay's statements by lists of ids, as the store serves them best (the service's StoreProfile). */
export type OutboxByKeys = Pick<StoreProfile, 'findByKeys' | 'deleteByKeys'>;

/**
 * The relay's publishing job: documents just written are published at once, many in one send,
 * each document's events in order, and what went out is recorded (one record per event, inserted
 * after the broker's acknowledgement; records of many documents share a commit). What it cannot
 * publish it leaves to the sweep (`takeRetries`), and wakes it.
 */
export class OutboxPublishing {
  private readonly records: InsertBatcher<PublishedEventRecord>;
  private handOffQueue: PendingDocument[] = [];
  /** Documents with events added to them, to be published now (`notify`). */
  private readonly notified = new Set<string>();
  private draining?: Promise<void>;
  /** Records of handed-off documents on their way to the store. */
  private readonly recording = new Set<Promise<void>>();
  /** Documents the hand-off is publishing (new or notified): the sweep and compaction leave them alone. */
  private readonly inHandOff = new Set<string>();
  /** Documents whose hand-off failed: the next sweep takes them whatever their age. */
  private readonly retry = new Set<string>();
  /** When the last events were handed off or notified: compaction waits for a quiet moment. */
  lastActivity = 0;

  constructor(
    private readonly collection: Collection<OutboxDocument>,
    private readonly published: Collection<PublishedEventRecord>,
    private readonly sink: OutboxSink,
    private readonly log: LogSink,
    private readonly options: {
      batchSize: number;
      recordLingerMs: number;
      isRunning: () => boolean;
      onFailure: () => void;
      byKeys: OutboxByKeys;
    },
  ) {
    this.records = new InsertBatcher(published, { maxBatch: 1000, lingerMs: options.recordLingerMs });
  }

  /** Documents waiting to be published now. */
  waiting(): number {
    return this.handOffQueue.length + this.notified.size;
  }

  /** Documents the last attempt failed to publish, for the sweep. */
  failed(): number {
    return this.retry.size;
  }

  /** Being published right now (the sweep and compaction leave it alone). */
  isBusy(id: string): boolean {
    return this.inHandOff.has(id) || this.notified.has(id);
  }

  isBeingHandedOff(id: string): boolean {
    return this.inHandOff.has(id);
  }

  /** The documents whose publishing failed, for the sweep to take; `giveBack` if it fails too. */
  takeRetries(): string[] {
    const ids = [...this.retry];
    for (const id of ids) this.retry.delete(id);
    return ids;
  }

  giveBack(ids: string[]): void {
    for (const id of ids) this.retry.add(id);
  }

  handOff(id: string, entries: OutboxEntry[]): void {
    if (!this.options.isRunning() || entries.length === 0) return;
    this.handOffQueue.push({ id, entries });
    this.inHandOff.add(id);
    this.lastActivity = Date.now();
    this.startDraining();
  }

  notify(id: string): void {
    if (!this.options.isRunning()) return;
    this.notified.add(id);
    this.lastActivity = Date.now();
    this.startDraining();
  }

  /** Waits for what is being published and recorded (on stop). */
  async settle(): Promise<void> {
    await this.draining;
    await Promise.all([...this.recording]);
  }

  /** Sends documents' events, each document's in order, many documents together; then records them. */
  async publish(documents: PendingDocument[]): Promise<void> {
    await this.deliver(documents);
    await this.record(documents);
  }

  /** Publishes the entries of these documents that have no record yet. */
  async publishMissing(documents: Array<Pick<OutboxDocument, '_id' | 'outbox'>>): Promise<void> {
    const pending = await this.unpublished(documents);
    for (let i = 0; i < pending.length; i += this.options.batchSize) await this.publish(pending.slice(i, i + this.options.batchSize));
  }

  /** The entries of these documents that have no record; `known` holds records already read. */
  async unpublished<E extends Pick<OutboxEntry, 'eventId'>>(
    documents: Array<{ _id: string; outbox?: E[] }>,
    known: Set<string> = new Set(),
  ): Promise<Array<{ id: string; entries: E[] }>> {
    const unknown = documents.flatMap((doc) => (doc.outbox ?? []).map((entry) => entry.eventId)).filter((id) => !known.has(id));
    const found = await this.findByIds<{ _id: string }>(this.published, unknown, { _id: 1 });
    const recorded = new Set(found.map((record) => record._id));
    return documents
      .map((doc) => ({ id: doc._id, entries: (doc.outbox ?? []).filter((entry) => !known.has(entry.eventId) && !recorded.has(entry.eventId)) }))
      .filter((doc) => doc.entries.length > 0);
  }

  /** Documents or records by `_id`, as the store serves a list of ids best (StoreProfile.findByKeys). */
  findByIds<T extends { _id: string }>(
    collection: Collection<OutboxDocument> | Collection<PublishedEventRecord>,
    ids: string[],
    projection: Record<string, 1>,
  ): Promise<T[]> {
    return this.options.byKeys.findByKeys<T>(collection, '_id', ids, { projection });
  }

  private startDraining(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Arrived after the drain last looked: without this they would wait for the next hand-off.
      if (this.waiting() > 0 && this.options.isRunning()) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    while (this.options.isRunning() && this.waiting() > 0) {
      if (this.handOffQueue.length > 0) await this.drainHandedOff();
      else await this.drainNotified();
    }
  }

  private async drainHandedOff(): Promise<void> {
    const documents = this.handOffQueue.splice(0, this.options.batchSize);
    const release = () => {
      for (const doc of documents) this.inHandOff.delete(doc.id);
    };
    try {
      await this.deliver(documents, { firstAttempt: true });
    } catch (error) {
      this.log.warn({ err: error }, 'outbox hand-off failed; the sweep will publish those events');
      this.giveBack(documents.map((doc) => doc.id));
      release();
      this.options.onFailure();
      return;
    }
    // The next documents go out while these are recorded (records linger to share a commit).
    const recording = this.record(documents)
      .catch((error: unknown) => this.log.warn({ err: error }, 'recording published events failed; the sweep will publish them again'))
      .finally(() => {
        release();
        this.recording.delete(recording);
      });
    this.recording.add(recording);
  }

  /** Handed-off documents go first: a notified one may still have its first events among them. */
  private async drainNotified(): Promise<void> {
    const ids = [...this.notified].slice(0, this.options.batchSize);
    // A notified document's first events may still be on their way to being recorded: wait for that.
    if (ids.some((id) => this.inHandOff.has(id))) await Promise.all([...this.recording]);
    for (const id of ids) {
      this.notified.delete(id);
      this.inHandOff.add(id);
    }
    try {
      await this.publishMissing(await this.findByIds<Pick<OutboxDocument, '_id' | 'outbox'>>(this.collection, ids, { _id: 1, outbox: 1 }));
    } catch (error) {
      this.log.warn({ err: error }, 'publishing added outbox events failed; the sweep will publish them');
      this.giveBack(ids);
      this.options.onFailure();
    } finally {
      for (const id of ids) this.inHandOff.delete(id);
    }
  }

  private async deliver(documents: PendingDocument[], options: { firstAttempt?: boolean } = {}): Promise<void> {
    for (let position = 0; ; position++) {
      const entries = documents.filter((doc) => doc.entries.length > position).map((doc) => doc.entries[position]);
      if (entries.length === 0) break;
      await this.sink.deliver(entries, options);
    }
  }

  /** Records of many documents share one commit. A duplicate is an event published again (after a crash). */
  private async record(documents: PendingDocument[]): Promise<void> {
    const publishedAt = new Date();
    await Promise.all(documents.flatMap((doc) => doc.entries.map((entry) => this.records.insert({ _id: entry.eventId, documentId: doc.id, publishedAt }))));
  }
}
