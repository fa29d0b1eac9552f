import type { Collection } from 'mongodb';
import { LogSink } from '../logging/log-sink';
import { OutboxDocument, PublishedEventRecord } from './outbox-document';
import { OutboxByKeys, OutboxPublishing } from './outbox-publishing';
import { RelayNaps } from './relay-naps';

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

/**
 * The relay's compaction: in quiet moments, documents whose events are all recorded lose their
 * outbox entries (`outboxPending: false`) and their records go. This keeps the pending set small
 * on a normal day and lets retention erase what the events carried.
 */
export class OutboxCompaction {
  /** Documents per compaction statement, fitted to `COMPACTION_STATEMENT_MS` (from one: the first may be on a large collection). */
  private chunk = 1;
  /** Where compaction goes on after documents it could not empty (their events are not all out yet). */
  private compactedUpTo?: Date;

  constructor(
    private readonly collection: Collection<OutboxDocument>,
    private readonly published: Collection<PublishedEventRecord>,
    private readonly publishing: OutboxPublishing,
    private readonly log: LogSink,
    private readonly naps: RelayNaps,
    private readonly options: {
      sweepIntervalMs: number;
      compactionShare: number;
      exclusive: <T>(keys: string[], work: () => Promise<T>) => Promise<T>;
      documentKey: (id: string) => string;
      byKeys: OutboxByKeys;
    },
  ) {}

  /** After a full sweep, documents passed over before may be done: start again from the oldest. */
  restartFromOldest(): void {
    this.compactedUpTo = undefined;
  }

  /**
   * Compaction runs when no events were written for three sweep intervals: on FerretDB every rewritten
   * document holds the store's one write lock for a read of the whole collection (50 documents took
   * 3.3 s at 20,000 visits, measured), which would stall every check-in behind it. On a normal day
   * the quiet moments are many; during a health fair it waits, and outboxes keep their published
   * entries a little longer. Within a quiet stretch it writes at most `compactionShare` of the time.
   */
  async run(isRunning: () => boolean): Promise<void> {
    const { sweepIntervalMs, compactionShare } = this.options;
    while (isRunning()) {
      const quietFor = Date.now() - this.publishing.lastActivity;
      let pause = COMPACTION_QUIET_INTERVALS * sweepIntervalMs - quietFor;
      if (pause <= 0) {
        pause = sweepIntervalMs;
        try {
          const started = Date.now();
          const compacted = await this.compactOnce();
          const spent = Date.now() - started;
          // Writing for `spent` buys a pause of spent × (1 − share) / share.
          if (compacted > 0) pause = Math.max(10, (spent * (1 - compactionShare)) / compactionShare);
        } catch (error) {
          this.log.warn({ err: error }, 'outbox compaction failed; will retry');
        }
      }
      if (!isRunning()) break;
      await this.naps.sleep(pause, { wakeForSweep: false });
    }
  }

  /**
   * Removes the entries of a few documents whose events are all recorded, then their records.
   * Returns how many documents it emptied.
   */
  async compactOnce(now = new Date()): Promise<number> {
    const settled = new Date(now.getTime() - this.options.sweepIntervalMs);
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
      .limit(this.chunk)
      .toArray();
    if (documents.length === 0) return 0;
    const stillPending = new Set((await this.publishing.unpublished(documents)).map((doc) => doc.id));
    const done = documents.filter((doc) => !stillPending.has(doc._id) && !this.publishing.isBeingHandedOff(doc._id));
    // Documents still waiting for the sweep are passed over until the next full sweep, so they never hold compaction up.
    if (done.length < documents.length) this.compactedUpTo = documents[documents.length - 1].outboxSince ?? undefined;
    if (done.length === 0) return 0;
    const ids = done.map((doc) => doc._id);
    const eventIds = done.flatMap((doc) => (doc.outbox ?? []).map((entry) => entry.eventId));
    const started = Date.now();
    // Its write never overlaps the service's own writes to the same documents where the store needs that (StoreProfile.exclusive).
    const result = await this.options.exclusive(
      ids.map((id) => this.options.documentKey(id)),
      () =>
        // One statement, each document only as it was read: one that got new events meanwhile has a
        // newer `outboxSince` and is left for later.
        this.collection.updateMany(
          { $or: done.map((doc) => ({ _id: doc._id, outboxSince: doc.outboxSince ?? null })) },
          { $set: { outbox: [], outboxPending: false } },
        ),
    );
    // As many documents per statement as fit in its time budget, by the cost of this one.
    const perDocumentMs = Math.max(1, Date.now() - started) / done.length;
    this.chunk = Math.max(1, Math.min(COMPACTION_CHUNK, Math.floor(COMPACTION_STATEMENT_MS / perDocumentMs)));
    // The records go only when every document was emptied: a record whose entry is still stored must stay.
    if (result.modifiedCount === done.length) await this.options.byKeys.deleteByKeys(this.published, '_id', eventIds);
    return result.modifiedCount;
  }
}
