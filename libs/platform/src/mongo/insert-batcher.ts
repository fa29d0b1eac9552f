import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { bulkInsertOutcomes } from './bulk-insert-outcome';

interface Pending<T> {
  doc: OptionalUnlessRequiredId<T>;
  resolve: (outcome: 'inserted' | 'duplicate') => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for inserts: inserts that arrive while one `insertMany` is on its way are sent
 * together in the next one. The store commits once per `insertMany` (FerretDB on SQLite syncs its
 * log on every commit, which caps single inserts at a few hundred per second), so under load many
 * requests share one commit; alone, an insert goes out at once. Each caller still learns its own
 * outcome: inserted, or a duplicate key (the document or a unique key already exists).
 */
/**
 * An `insertMany` unanswered this long is given up on: its callers learn that the outcome is
 * unknown (as when a connection drops) and the next batch goes out. Without a bound, one write
 * that never got an answer after the store restarted held every later insert of the process
 * behind it: no check-in was answered for minutes while the kiosks retried.
 */
export const INSERT_ANSWER_TIMEOUT_MS = 15_000;

/** The store did not answer an insert in time: its documents may or may not be stored (retry; a stored one is then a duplicate). */
export class InsertOutcomeUnknownError extends Error {
  override readonly name = 'InsertOutcomeUnknownError';
  constructor(collection: string, waitedMs: number) {
    super(`insert into ${collection} unanswered after ${waitedMs} ms; its outcome is unknown`);
  }
}

export class InsertBatcher<T extends Document> {
  private queue: Array<Pending<T>> = [];
  private flushing = false;

  /**
   * @param lingerMs how long a batch waits for more inserts before it goes out: for writes nobody
   *   waits on (records of published events), fewer and larger statements leave the store's one
   *   write lock to the inserts somebody does wait on.
   */
  constructor(
    private readonly collection: Collection<T>,
    private readonly maxBatch = 500,
    private readonly lingerMs = 0,
    private readonly answerTimeoutMs = INSERT_ANSWER_TIMEOUT_MS,
  ) {}

  insert(doc: OptionalUnlessRequiredId<T>): Promise<'inserted' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    if (this.lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.answered(
          this.collection.insertMany(
            batch.map((p) => p.doc),
            { ordered: false },
          ),
        );
        for (const p of batch) p.resolve('inserted');
      } catch (error) {
        const outcomes = bulkInsertOutcomes(error, batch.length);
        // Unknown (a dropped connection): every caller learns that its insert failed; a retry finds
        // the documents that were stored after all as duplicates.
        batch.forEach((p, index) => {
          const outcome = outcomes?.[index] ?? 'failed';
          if (outcome === 'failed') p.reject(error);
          else p.resolve(outcome);
        });
      }
    }
    this.flushing = false;
  }

  /** The write's answer, or InsertOutcomeUnknownError once it has waited `answerTimeoutMs` (a late answer is ignored). */
  private answered<R>(write: Promise<R>): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InsertOutcomeUnknownError(this.collection.collectionName, this.answerTimeoutMs)), this.answerTimeoutMs);
    });
    write.catch(() => undefined);
    return Promise.race([write, timeout]).finally(() => clearTimeout(timer));
  }
}
