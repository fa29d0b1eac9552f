import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Collection } from 'mongodb';
import { documentKey, documentLocks } from '../concurrency/document-locks';
import { EventPublisher } from '../kafka/event-publisher';
import { LogSink } from '../logging/log-sink';
import { contextFromTraceparent, traceparentOf } from '../tracing/tracing';
import { InsertBatcher } from '../mongo/insert-batcher';
import { OutboxEntry } from './outbox-entry';

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
}

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

type Pending = { id: string; entries: OutboxEntry[] };

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
 * - Hand-off: a document just written with new events is given to `handOff` (new document) or
 *   `notify` (events added to an existing one); the relay publishes them at once, many documents in
 *   one send, and records them.
 * - Sweep: every `sweepIntervalMs`, documents whose latest events are older than that are checked
 *   against the records and what is missing goes out (a crash, a broker outage, another instance's
 *   crash). It reads the recent ones, and every `fullSweepIntervalMs` all pending ones.
 * - Compaction: in quiet moments, documents whose events are all recorded lose their outbox entries
 *   (`outboxPending: false`) and their records go. This keeps the pending set small on a normal day
 *   and lets retention erase what the events carried.
 *
 * A crash between publishing and recording means the events go out again; consumers dedupe by
 * event id. Several instances may sweep the same document after a hand-off failure: the same.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly sweepIntervalMs: number;
  private readonly fullSweepIntervalMs: number;
  private readonly compactionShare: number;
  private readonly records: InsertBatcher<PublishedEventRecord>;
  private running = false;
  private loops: Array<Promise<void>> = [];
  private readonly sleepers = new Set<() => void>();
  private sweepSoon?: () => void;
  private handOffQueue: Pending[] = [];
  /** Documents with events added to them, to be published now (`notify`). */
  private readonly notified = new Set<string>();
  private draining?: Promise<void>;
  /** Records of handed-off documents on their way to the store. */
  private readonly recording = new Set<Promise<void>>();
  /** Documents the hand-off is publishing (new or notified): the sweep and compaction leave them alone. */
  private readonly inHandOff = new Set<string>();
  /** Where the next incremental sweep starts: a little before the newest document the last one saw. */
  private sweptUpTo?: Date;
  private lastFullSweep = 0;
  /** Documents per compaction statement, fitted to `COMPACTION_STATEMENT_MS` (from one: the first may be on a large collection). */
  private compactionChunk = 1;
  /** Where compaction goes on after documents it could not empty (their events are not all out yet). */
  private compactedUpTo?: Date;
  private sweepFailures = 0;
  /** Sweeps in a row that found nothing to publish. */
  private quietSweeps = 0;
  /** When the last events were handed off or notified: compaction waits for a quiet moment. */
  private lastActivity = 0;
  /** Documents whose hand-off failed: the next sweep takes them whatever their age. */
  private readonly retry = new Set<string>();
  /** Documents the last sweep could not publish. */
  private unpublishedAtLastSweep = 0;
  /** The store dropped connections since the last full sweep: the next sweep reads everything. */
  private fullSweepWanted = false;
  private readonly exclusive: NonNullable<OutboxRelayOptions['exclusive']>;

  constructor(
    private readonly collection: Collection<OutboxDocument>,
    private readonly published: Collection<PublishedEventRecord>,
    private readonly sink: OutboxSink,
    private readonly log: LogSink,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5000;
    this.fullSweepIntervalMs = options.fullSweepIntervalMs ?? 600_000;
    this.compactionShare = options.compactionShare ?? 0.25;
    this.exclusive = options.exclusive ?? ((keys, work) => documentLocks.run(keys, work));
    this.records = new InsertBatcher(published, 1000, options.recordLingerMs ?? RECORD_LINGER_MS);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.sweepLoop(), this.compactionLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of [...this.sleepers]) wake();
    await this.draining;
    await Promise.all([...this.recording]);
    await Promise.all(this.loops);
  }

  /** Documents with events not yet published: those waiting for the hand-off, and those the last attempt failed to publish. */
  backlog(): number {
    return this.handOffQueue.length + this.notified.size + Math.max(this.retry.size, this.unpublishedAtLastSweep);
  }

  /**
   * A document was just inserted with these events (nothing earlier can be pending for it):
   * publish them now, in order. If that fails, the sweep publishes them later.
   */
  handOff(id: string, entries: OutboxEntry[]): void {
    if (!this.running || entries.length === 0) return;
    this.handOffQueue.push({ id, entries });
    this.inHandOff.add(id);
    this.lastActivity = Date.now();
    this.startDraining();
  }

  /**
   * The store dropped this process's connections (it restarted, the network failed). A write in
   * flight then may have been stored although its writer was told it failed, so nobody handed its
   * events off, and it may only now become visible with an older `outboxSince` than the
   * incremental sweeps look at. The next sweep therefore reads every pending document.
   */
  storeInterrupted(): void {
    this.fullSweepWanted = true;
    this.sweepSoon?.();
  }

  /** Events were just added to this existing document: publish what of it is not yet published. */
  notify(id: string): void {
    if (!this.running) return;
    this.notified.add(id);
    this.lastActivity = Date.now();
    this.startDraining();
  }

  private startDraining(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Arrived after the drain last looked: without this they would wait for the next hand-off.
      if ((this.handOffQueue.length > 0 || this.notified.size > 0) && this.running) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    while (this.running && (this.handOffQueue.length > 0 || this.notified.size > 0)) {
      if (this.handOffQueue.length > 0) {
        const documents = this.handOffQueue.splice(0, this.batchSize);
        const release = () => {
          for (const doc of documents) this.inHandOff.delete(doc.id);
        };
        try {
          await this.deliver(documents, { firstAttempt: true });
        } catch (error) {
          this.log.warn({ err: error }, 'outbox hand-off failed; the sweep will publish those events');
          for (const doc of documents) this.retry.add(doc.id);
          release();
          this.sweepSoon?.();
          continue;
        }
        // The next documents go out while these are recorded (records linger to share a commit).
        const recording = this.record(documents)
          .catch((error: unknown) => this.log.warn({ err: error }, 'recording published events failed; the sweep will publish them again'))
          .finally(() => {
            release();
            this.recording.delete(recording);
          });
        this.recording.add(recording);
        continue;
      }
      // Handed-off documents go first: a notified one may still have its first events among them.
      const ids = [...this.notified].slice(0, this.batchSize);
      // A notified document's first events may still be on their way to being recorded: wait for that.
      if (ids.some((id) => this.inHandOff.has(id))) await Promise.all([...this.recording]);
      for (const id of ids) {
        this.notified.delete(id);
        this.inHandOff.add(id);
      }
      try {
        await this.publishMissing(await this.collection.find({ _id: { $in: ids } }, { projection: { _id: 1, outbox: 1 } }).toArray());
      } catch (error) {
        this.log.warn({ err: error }, 'publishing added outbox events failed; the sweep will publish them');
        for (const id of ids) this.retry.add(id);
        this.sweepSoon?.();
      } finally {
        for (const id of ids) this.inHandOff.delete(id);
      }
    }
  }

  /** Sends documents' events, each document's in order, many documents together; then records them. */
  private async publish(documents: Pending[]): Promise<void> {
    await this.deliver(documents);
    await this.record(documents);
  }

  private async deliver(documents: Pending[], options: { firstAttempt?: boolean } = {}): Promise<void> {
    for (let position = 0; ; position++) {
      const entries = documents.filter((doc) => doc.entries.length > position).map((doc) => doc.entries[position]);
      if (entries.length === 0) break;
      await this.sink.deliver(entries, options);
    }
  }

  /** Records of many documents share one commit. A duplicate is an event published again (after a crash). */
  private async record(documents: Pending[]): Promise<void> {
    const publishedAt = new Date();
    await Promise.all(documents.flatMap((doc) => doc.entries.map((entry) => this.records.insert({ _id: entry.eventId, documentId: doc.id, publishedAt }))));
  }

  /** Publishes the entries of these documents that have no record yet. */
  private async publishMissing(documents: Array<Pick<OutboxDocument, '_id' | 'outbox'>>): Promise<void> {
    const pending = await this.unpublished(documents);
    for (let i = 0; i < pending.length; i += this.batchSize) await this.publish(pending.slice(i, i + this.batchSize));
  }

  /** The entries of these documents that have no record; `known` holds records already read. */
  private async unpublished<E extends Pick<OutboxEntry, 'eventId'>>(
    documents: Array<{ _id: string; outbox?: E[] }>,
    known: Set<string> = new Set(),
  ): Promise<Array<{ id: string; entries: E[] }>> {
    const unknown = documents.flatMap((doc) => (doc.outbox ?? []).map((entry) => entry.eventId)).filter((id) => !known.has(id));
    const recorded = new Set<string>();
    for (let i = 0; i < unknown.length; i += 1000) {
      const found = await this.published.find({ _id: { $in: unknown.slice(i, i + 1000) } }, { projection: { _id: 1 } }).toArray();
      for (const record of found) recorded.add(record._id);
    }
    return documents
      .map((doc) => ({ id: doc._id, entries: (doc.outbox ?? []).filter((entry) => !known.has(entry.eventId) && !recorded.has(entry.eventId)) }))
      .filter((doc) => doc.entries.length > 0);
  }

  private async sweepLoop(): Promise<void> {
    while (this.running) {
      try {
        const found = await this.sweepOnce();
        this.quietSweeps = found > 0 ? 0 : this.quietSweeps + 1;
        this.sweepFailures = 0;
      } catch (error) {
        this.sweepFailures++;
        this.log.warn({ err: error, failures: this.sweepFailures }, 'outbox sweep failed; will retry');
      }
      if (!this.running) break;
      // After a failure, back off whatever a hand-off says: a busy kiosk must not hammer a sick store.
      // While sweeps find nothing they slow down to six intervals (a sweep reads the collection);
      // a failed hand-off wakes the sweep at once.
      const wait =
        this.sweepFailures > 0
          ? Math.min(10_000, 250 * 2 ** Math.min(this.sweepFailures, 6))
          : this.sweepIntervalMs * Math.min(6, 2 ** this.quietSweeps);
      await this.sleep(wait, this.sweepFailures === 0);
    }
  }

  /**
   * One sweep: publishes what documents older than the sweep interval still lack. Incremental
   * sweeps read documents from a little before where the previous one ended; a full one, on start
   * and every `fullSweepIntervalMs`, reads them all (a write that took long to commit is found then).
   * Returns how many documents had events to publish.
   */
  async sweepOnce(now = new Date()): Promise<number> {
    const forced = this.fullSweepWanted;
    this.fullSweepWanted = false;
    const full = forced || this.sweptUpTo === undefined || now.getTime() - this.lastFullSweep >= this.fullSweepIntervalMs;
    const settled = new Date(now.getTime() - this.sweepIntervalMs);
    const since = full ? undefined : this.sweptUpTo;
    const retry = [...this.retry];
    for (const id of retry) this.retry.delete(id);
    try {
      // Event ids only: most documents turn out to be published, and the entries' values are large.
      const documents = await this.collection
        .find(
          {
            outboxPending: true,
            $or: [
              { outboxSince: since ? { $gte: since, $lt: settled } : { $lt: settled } },
              // Written before outboxes had a time (an earlier version): the full sweep takes them too.
              ...(full ? [{ outboxSince: null }] : []),
              ...(retry.length > 0 ? [{ _id: { $in: retry } }] : []),
            ],
          },
          { projection: { _id: 1, 'outbox.eventId': 1 } },
        )
        .toArray();
      const candidates = documents.filter((doc) => !this.inHandOff.has(doc._id) && !this.notified.has(doc._id));
      if (candidates.length === 0) return this.swept(full, now, settled, 0);
      // One read of the records the window's events would have (recorded after their document was
      // written); only events not among them are looked up one by one (an old event of a document
      // with new ones, say).
      const recent = await this.published.find(since ? { publishedAt: { $gte: since } } : {}, { projection: { _id: 1 } }).toArray();
      const pending = await this.unpublished(candidates, new Set(recent.map((record) => record._id)));
      const pendingIds = pending.map((doc) => doc.id);
      const missing = new Set(pending.flatMap((doc) => doc.entries.map((entry) => entry.eventId)));
      this.unpublishedAtLastSweep = pendingIds.length;
      for (let i = 0; i < pendingIds.length; i += this.batchSize) {
        // The whole entries of what was found missing above, without asking the records again.
        const chunk = await this.collection.find({ _id: { $in: pendingIds.slice(i, i + this.batchSize) } }, { projection: { _id: 1, outbox: 1 } }).toArray();
        await this.publish(chunk.map((doc) => ({ id: doc._id, entries: (doc.outbox ?? []).filter((entry) => missing.has(entry.eventId)) })).filter((doc) => doc.entries.length > 0));
      }
      return this.swept(full, now, settled, pendingIds.length);
    } catch (error) {
      for (const id of retry) this.retry.add(id);
      if (forced) this.fullSweepWanted = true;
      throw error;
    }
  }

  private swept(full: boolean, now: Date, settled: Date, published: number): number {
    this.unpublishedAtLastSweep = 0;
    if (full) {
      this.lastFullSweep = now.getTime();
      this.compactedUpTo = undefined;
    }
    // The next incremental sweep overlaps this one by one interval.
    this.sweptUpTo = new Date(settled.getTime() - this.sweepIntervalMs);
    if (published > 0) this.log.info({ collection: this.collection.collectionName, documents: published }, 'outbox sweep published events the hand-off had not');
    return published;
  }

  /**
   * Compaction runs when no events were written for three sweep intervals: on FerretDB every rewritten
   * document holds the store's one write lock for a read of the whole collection (50 documents took
   * 3.3 s at 20,000 visits, measured), which would stall every check-in behind it. On a normal day
   * the quiet moments are many; during a health fair it waits, and outboxes keep their published
   * entries a little longer. Within a quiet stretch it writes at most `compactionShare` of the time.
   */
  private async compactionLoop(): Promise<void> {
    while (this.running) {
      const quietFor = Date.now() - this.lastActivity;
      let pause = COMPACTION_QUIET_INTERVALS * this.sweepIntervalMs - quietFor;
      if (pause <= 0) {
        pause = this.sweepIntervalMs;
        try {
          const started = Date.now();
          const compacted = await this.compactOnce();
          const spent = Date.now() - started;
          // Writing for `spent` buys a pause of spent × (1 − share) / share.
          if (compacted > 0) pause = Math.max(10, (spent * (1 - this.compactionShare)) / this.compactionShare);
        } catch (error) {
          this.log.warn({ err: error }, 'outbox compaction failed; will retry');
        }
      }
      if (!this.running) break;
      await this.sleep(pause, false);
    }
  }

  /**
   * Removes the entries of a few documents whose events are all recorded, then their records.
   * Returns how many documents it emptied.
   */
  async compactOnce(now = new Date()): Promise<number> {
    const settled = new Date(now.getTime() - this.sweepIntervalMs);
    const documents = await this.collection
      .find(
        {
          outboxPending: true,
          // Documents without a time (written by an earlier version) sort first and are compacted first.
          $or: [{ outboxSince: this.compactedUpTo ? { $gt: this.compactedUpTo, $lt: settled } : { $lt: settled } }, { outboxSince: null }],
        },
        { projection: { _id: 1, outbox: 1, outboxSince: 1 } },
      )
      .sort({ outboxSince: 1 })
      .limit(this.compactionChunk)
      .toArray();
    if (documents.length === 0) return 0;
    const stillPending = new Set((await this.unpublished(documents)).map((doc) => doc.id));
    const done = documents.filter((doc) => !stillPending.has(doc._id) && !this.inHandOff.has(doc._id));
    // Documents still waiting for the sweep are passed over until the next full sweep, so they never hold compaction up.
    if (done.length < documents.length) this.compactedUpTo = documents[documents.length - 1].outboxSince ?? undefined;
    if (done.length === 0) return 0;
    const ids = done.map((doc) => doc._id);
    const eventIds = done.flatMap((doc) => (doc.outbox ?? []).map((entry) => entry.eventId));
    const started = Date.now();
    const result = await this.locked(ids, () =>
      // One statement, each document only as it was read: one that got new events meanwhile has a
      // newer `outboxSince` and is left for later.
      this.collection.updateMany({ $or: done.map((doc) => ({ _id: doc._id, outboxSince: doc.outboxSince ?? null })) }, { $set: { outbox: [], outboxPending: false } }),
    );
    // As many documents per statement as fit in its time budget, by the cost of this one.
    const perDocumentMs = Math.max(1, Date.now() - started) / done.length;
    this.compactionChunk = Math.max(1, Math.min(COMPACTION_CHUNK, Math.floor(COMPACTION_STATEMENT_MS / perDocumentMs)));
    // The records go only when every document was emptied: a record whose entry is still stored must stay.
    if (result.modifiedCount === done.length) await this.published.deleteMany({ _id: { $in: eventIds } });
    return result.modifiedCount;
  }

  private sleep(ms: number, wakeOnSweepSoon: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        if (this.sweepSoon === done) this.sweepSoon = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
      if (wakeOnSweepSoon) this.sweepSoon = done;
    });
  }

  /** The relay's writes never overlap the service's own writes to the same documents (see StoreProfile.exclusive). */
  private locked<T>(ids: string[], work: () => Promise<T>): Promise<T> {
    return this.exclusive(
      ids.map((id) => documentKey(this.collection, id)),
      work,
    );
  }
}

/**
 * Records wait this long to share a commit: nobody waits on them, and at 350 check-ins a second one
 * record statement per hand-off batch competed with the visits' inserts for the store's write lock.
 */
const RECORD_LINGER_MS = 200;

/**
 * Compaction rewrites at most this many documents per statement, fewer when a statement would hold
 * the store longer than `COMPACTION_STATEMENT_MS`. FerretDB 1.24 on SQLite rewrites each matched
 * document with a statement that reads the whole collection, under the store's one write lock: 50
 * ledger documents in one statement took 7.7 s during a benchmark (measured), and every other writer
 * waited. On MongoDB a chunk is a few indexed updates and stays at the maximum.
 */
const COMPACTION_CHUNK = 50;
const COMPACTION_STATEMENT_MS = 250;
/** Quiet means no events for this many sweep intervals: a busy consumer's batches can be seconds apart. */
const COMPACTION_QUIET_INTERVALS = 3;
