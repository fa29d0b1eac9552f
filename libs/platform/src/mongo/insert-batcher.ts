import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

const DUPLICATE_KEY = 11000;

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
        await this.collection.insertMany(
          batch.map((p) => p.doc),
          { ordered: false },
        );
        for (const p of batch) p.resolve('inserted');
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }).writeErrors;
        if (!Array.isArray(writeErrors)) {
          for (const p of batch) p.reject(error);
          continue;
        }
        const failed = new Map(writeErrors.map((e) => [e.index, e]));
        batch.forEach((p, index) => {
          const failure = failed.get(index);
          if (!failure) p.resolve('inserted');
          else if ((failure.code ?? failure.err?.code) === DUPLICATE_KEY) p.resolve('duplicate');
          else p.reject(error);
        });
      }
    }
    this.flushing = false;
  }
}
