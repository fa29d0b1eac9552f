import type { Collection } from 'mongodb';
import { LogSink } from '../logging/log-sink';
import { OutboxDocument, PublishedEventRecord } from './outbox-document';
import { OutboxPublishing } from './outbox-publishing';
import { RelayNaps } from './relay-naps';

/**
 * The relay's sweep: every `sweepIntervalMs`, documents whose latest events are older than that
 * are checked against the records, and what is missing goes out (a crash, a broker outage,
 * another instance's crash, a failed hand-off). It reads the recent ones, and every
 * `fullSweepIntervalMs` (or after the store dropped connections) all pending ones.
 */
export class OutboxSweep {
  /** Where the next incremental sweep starts: a little before the newest document the last one saw. */
  private sweptUpTo?: Date;
  private lastFullSweep = 0;
  private failures = 0;
  /** Sweeps in a row that found nothing to publish. */
  private quietSweeps = 0;
  /** Documents the last sweep could not publish. */
  unpublishedAtLastSweep = 0;
  /** The store dropped connections since the last full sweep: the next sweep reads everything. */
  private fullSweepWanted = false;

  constructor(
    private readonly collection: Collection<OutboxDocument>,
    private readonly published: Collection<PublishedEventRecord>,
    private readonly publishing: OutboxPublishing,
    private readonly log: LogSink,
    private readonly naps: RelayNaps,
    private readonly options: { sweepIntervalMs: number; fullSweepIntervalMs: number; batchSize: number; onFullSweep: () => void },
  ) {}

  /**
   * The store dropped this process's connections (it restarted, the network failed). A write in
   * flight then may have been stored although its writer was told it failed, so nobody handed its
   * events off, and it may only now become visible with an older `outboxSince` than the
   * incremental sweeps look at. The next sweep therefore reads every pending document.
   */
  storeInterrupted(): void {
    this.fullSweepWanted = true;
    this.naps.wakeSweep();
  }

  async run(isRunning: () => boolean): Promise<void> {
    while (isRunning()) {
      try {
        const found = await this.sweepOnce();
        this.quietSweeps = found > 0 ? 0 : this.quietSweeps + 1;
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.log.warn({ err: error, failures: this.failures }, 'outbox sweep failed; will retry');
      }
      if (!isRunning()) break;
      // After a failure, back off whatever a hand-off says: a busy kiosk must not hammer a sick store.
      // While sweeps find nothing they slow down to six intervals (a sweep reads the collection);
      // a failed hand-off wakes the sweep at once.
      const wait =
        this.failures > 0 ? Math.min(10_000, 250 * 2 ** Math.min(this.failures, 6)) : this.options.sweepIntervalMs * Math.min(6, 2 ** this.quietSweeps);
      await this.naps.sleep(wait, { wakeForSweep: this.failures === 0 });
    }
  }

  /**
   * One sweep: publishes what documents older than the sweep interval still lack. Incremental
   * sweeps read documents from a little before where the previous one ended; a full one, on start
   * and every `fullSweepIntervalMs`, reads them all (a write that took long to commit is found then).
   * Returns how many documents had events to publish.
   */
  async sweepOnce(now = new Date()): Promise<number> {
    const { sweepIntervalMs, fullSweepIntervalMs, batchSize } = this.options;
    const forced = this.fullSweepWanted;
    this.fullSweepWanted = false;
    const full = forced || this.sweptUpTo === undefined || now.getTime() - this.lastFullSweep >= fullSweepIntervalMs;
    const settled = new Date(now.getTime() - sweepIntervalMs);
    const since = full ? undefined : this.sweptUpTo;
    const retry = this.publishing.takeRetries();
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
      const candidates = documents.filter((doc) => !this.publishing.isBusy(doc._id));
      if (candidates.length === 0) return this.swept(full, now, settled, 0);
      // One read of the records the window's events would have (recorded after their document was
      // written); only events not among them are looked up one by one (an old event of a document
      // with new ones, say).
      const recent = await this.published.find(since ? { publishedAt: { $gte: since } } : {}, { projection: { _id: 1 } }).toArray();
      const pending = await this.publishing.unpublished(candidates, new Set(recent.map((record) => record._id)));
      const pendingIds = pending.map((doc) => doc.id);
      const missing = new Set(pending.flatMap((doc) => doc.entries.map((entry) => entry.eventId)));
      this.unpublishedAtLastSweep = pendingIds.length;
      for (let i = 0; i < pendingIds.length; i += batchSize) {
        // The whole entries of what was found missing above, without asking the records again.
        const chunk = await this.publishing.findByIds<Pick<OutboxDocument, '_id' | 'outbox'>>(this.collection, pendingIds.slice(i, i + batchSize), {
          _id: 1,
          outbox: 1,
        });
        await this.publishing.publish(
          chunk
            .map((doc) => ({ id: doc._id, entries: (doc.outbox ?? []).filter((entry) => missing.has(entry.eventId)) }))
            .filter((doc) => doc.entries.length > 0),
        );
      }
      return this.swept(full, now, settled, pendingIds.length);
    } catch (error) {
      this.publishing.giveBack(retry);
      if (forced) this.fullSweepWanted = true;
      throw error;
    }
  }

  private swept(full: boolean, now: Date, settled: Date, published: number): number {
    this.unpublishedAtLastSweep = 0;
    if (full) {
      this.lastFullSweep = now.getTime();
      this.options.onFullSweep();
    }
    // The next incremental sweep overlaps this one by one interval.
    this.sweptUpTo = new Date(settled.getTime() - this.options.sweepIntervalMs);
    if (published > 0)
      this.log.info({ collection: this.collection.collectionName, documents: published }, 'outbox sweep published events the hand-off had not');
    return published;
  }
}
