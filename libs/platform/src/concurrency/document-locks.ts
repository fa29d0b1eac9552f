/**
 * Serialises this process's writes to the same document.
 *
 * Why: FerretDB 1.24 applies an update as read, modify, write back, without isolation, on SQLite
 * and on PostgreSQL alike, so two concurrent updates of one document lose one of them (measured:
 * 200 concurrent `$inc` on one document left 7 on SQLite; 20 left 13 on PostgreSQL). MongoDB
 * applies each single-document update atomically. Writers of aggregates and the outbox relay come
 * here through `StoreProfile.exclusive`, which does so on FerretDB only; the projections of
 * reporting whose read-then-write statements carry no condition still come here on both stores.
 * Across processes it cannot help: on FerretDB, run one instance of each service.
 */
export class DocumentLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` holding the locks of all `keys` (taken in sorted order, so two callers never deadlock). */
  async run<T>(keys: string | string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(Array.isArray(keys) ? keys : [keys])].sort();
    const releases: Array<() => void> = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await work();
    } finally {
      releases.reverse().forEach((release) => release());
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      // Forget the key once nobody queues behind it, so the map does not grow without bound.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

/** One per process: every repository and relay in it shares the same locks. */
export const documentLocks = new DocumentLocks();

/** A lock key for a document of a collection: `<db>.<collection>:<id>`. */
export function documentKey(collection: { dbName: string; collectionName: string }, id: string): string {
  return `${collection.dbName}.${collection.collectionName}:${id}`;
}
