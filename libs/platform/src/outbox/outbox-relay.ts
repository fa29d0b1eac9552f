import type { Collection } from 'mongodb';
import { documentKey, documentLocks } from '../concurrency/document-locks';
import { LogSink } from '../logging/log-sink';
import { StoreProfile } from '../store/store-profile';
import { OutboxCompaction } from './outbox-compaction';
import { OutboxDocument, PublishedEventRecord } from './outbox-document';
import { OutboxEntry } from './outbox-entry';
import { OutboxByKeys, OutboxPublishing } from './outbox-publishing';
import { OutboxSink } from './outbox-sink';
import { OutboxSweep } from './outbox-sweep';
import { RelayNaps } from './relay-naps';

export * from './outbox-document';
export * from './outbox-sink';

export interface OutboxRelayOptions {
  /** Documents published together in one round. */
  batchSize?: number;
  /**
   * How often the sweep looks for events the hand-off did not publish (a crash, a broker outage),
   * and how old a document's latest events must be before they are the sweep's rather than the
   * hand-off's.
   */
  sweepIntervalMs?: number;
  /** How often the sweep reads every pending document rather than only the recent ones. */
  fullSweepIntervalMs?: number;
  /** How long records of published events wait to share a commit (default 200 ms). */
  recordLingerMs?: number;
  /** The share of an idle relay's time compaction may spend writing (it rewrites documents, the costly write). */
  compactionShare?: number;
  /** Serialises compaction's writes with the service's own writes of the same documents where the store needs it (StoreProfile.exclusive). */
  exclusive?: <T>(keys: string[], work: () => Promise<T>) => Promise<T>;
  /** Reads and deletes by lists of ids as the store serves them best (the service's StoreProfile); MongoDB's `$in` when absent. */
  byKeys?: OutboxByKeys;
}

/**
 * Records wait this long to share a commit: nobody waits on them, and at 350 check-ins a second one
 * record statement per hand-off batch competed with the visits' inserts for the store's write lock.
 */
const RECORD_LINGER_MS = 200;

/**
 * Publishes the events stored in documents' outboxes, at least once and in stored order per
 * document, and remembers what went out by inserting a record per event into a second collection.
 *
 * Why records, not removing the entries from the document: on FerretDB 1.24 with SQLite every
 * updated document costs a read of the whole collection under the store's one write lock, so a
 * removal per check-in capped check-ins at a few dozen a second. Inserts stay cheap on both stores.
 * The hot path is therefore write-once: the change and its events in one document write, then,
 * after the broker's acknowledgement, one insert of records for a whole batch of documents.
 *
 * Three jobs, each in its own class: publishing (`handOff` a new document's events, `notify` of
 * events added to an existing one: published at once), the sweep (what publishing could not),
 * and compaction (emptying outboxes whose events are all out). The aggregate store is its caller.
 *
 * A crash between publishing and recording means the events go out again; consumers dedupe by
 * event id. Several instances may sweep the same document after a hand-off failure: the same.
 */
export class OutboxRelay {
  private running = false;
  private loops: Array<Promise<void>> = [];
  private readonly naps = new RelayNaps();
  private readonly publishing: OutboxPublishing;
  private readonly sweep: OutboxSweep;
  private readonly compaction: OutboxCompaction;

  constructor(
    collection: Collection<OutboxDocument>,
    published: Collection<PublishedEventRecord>,
    sink: OutboxSink,
    log: LogSink,
    options: OutboxRelayOptions = {},
  ) {
    const batchSize = options.batchSize ?? 200;
    const sweepIntervalMs = options.sweepIntervalMs ?? 5000;
    const isRunning = () => this.running;
    const byKeys = options.byKeys ?? new StoreProfile('mongodb');
    this.publishing = new OutboxPublishing(collection, published, sink, log, {
      byKeys,
      batchSize,
      recordLingerMs: options.recordLingerMs ?? RECORD_LINGER_MS,
      isRunning,
      onFailure: () => this.naps.wakeSweep(),
    });
    this.compaction = new OutboxCompaction(collection, published, this.publishing, log, this.naps, {
      sweepIntervalMs,
      compactionShare: options.compactionShare ?? 0.25,
      exclusive: options.exclusive ?? ((keys, work) => documentLocks.run(keys, work)),
      documentKey: (id) => documentKey(collection, id),
      byKeys,
    });
    this.sweep = new OutboxSweep(collection, published, this.publishing, log, this.naps, {
      sweepIntervalMs,
      fullSweepIntervalMs: options.fullSweepIntervalMs ?? 600_000,
      batchSize,
      onFullSweep: () => this.compaction.restartFromOldest(),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const isRunning = () => this.running;
    this.loops = [this.sweep.run(isRunning), this.compaction.run(isRunning)];
  }

  async stop(): Promise<void> {
    this.running = false;
    this.naps.wakeAll();
    await this.publishing.settle();
    await Promise.all(this.loops);
  }

  /** Documents with events not yet published: those waiting for the hand-off, and those the last attempt failed to publish. */
  backlog(): number {
    return this.publishing.waiting() + Math.max(this.publishing.failed(), this.sweep.unpublishedAtLastSweep);
  }

  /**
   * A document was just inserted with these events (nothing earlier can be pending for it):
   * publish them now, in order. If that fails, the sweep publishes them later.
   */
  handOff(id: string, entries: OutboxEntry[]): void {
    this.publishing.handOff(id, entries);
  }

  /** Events were just added to this existing document: publish what of it is not yet published. */
  notify(id: string): void {
    this.publishing.notify(id);
  }

  /** The store dropped this process's connections: the next sweep reads every pending document (see OutboxSweep). */
  storeInterrupted(): void {
    this.sweep.storeInterrupted();
  }

  sweepOnce(now = new Date()): Promise<number> {
    return this.sweep.sweepOnce(now);
  }

  compactOnce(now = new Date()): Promise<number> {
    return this.compaction.compactOnce(now);
  }
}
