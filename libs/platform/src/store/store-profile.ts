import { MongoClient, MongoClientOptions } from 'mongodb';
import { documentLocks } from '../concurrency/document-locks';

/** The servers the services run on: MongoDB in production, FerretDB 1.24 locally and in tests. */
export type StoreKind = 'mongodb' | 'ferretdb';

/**
 * Everything that differs between the two stores, chosen once from the store found at connect.
 * Nothing else in the code asks which store it runs on.
 */
export class StoreProfile {
  constructor(readonly kind: StoreKind) {}

  /** The driver settings for this store. MongoDB keeps the driver's defaults. */
  connectionOptions(): Pick<MongoClientOptions, 'maxPoolSize' | 'retryWrites'> {
    if (this.kind === 'mongodb') return { retryWrites: true };
    return {
      // FerretDB 1.24 deadlocks under 100 concurrent updates of one database: each holds one of
      // its backend connections for the read and waits for a second to write (seen in a rebuild
      // that updated 500 visit records at once; its goroutine dump had 100 updates waiting in
      // BeginTx). The driver's default pool is 100.
      maxPoolSize: 32,
      // FerretDB does not implement retryable writes' transaction numbers in every path.
      retryWrites: false,
    };
  }

  /**
   * Whether a single-document update is atomic. FerretDB 1.24 applies an update as read, modify,
   * write back without isolation (on SQLite and PostgreSQL alike): two concurrent conditional
   * updates of one document can both match and one is lost, silently (measured: 20 concurrent
   * `$inc` on PostgreSQL left 13). MongoDB applies each one atomically.
   */
  get atomicUpdates(): boolean {
    return this.kind === 'mongodb';
  }

  /**
   * Runs `work` so that no other write of this process to the same documents overlaps it, where
   * the store needs that (FerretDB: see `atomicUpdates`; across processes nothing can help there,
   * so run one instance of each service on it). On MongoDB the writes' own conditions suffice and
   * nothing waits.
   */
  exclusive<T>(keys: string | string[], work: () => Promise<T>): Promise<T> {
    return this.atomicUpdates ? work() : documentLocks.run(keys, work);
  }
}

/** FerretDB answers `buildInfo` with a `ferretdb` section (version, package); MongoDB has none. */
export function storeKindOf(buildInfo: Record<string, unknown>): StoreKind {
  return Object.keys(buildInfo).some((key) => key.toLowerCase().startsWith('ferretdb')) ? 'ferretdb' : 'mongodb';
}

/**
 * Asks the store what it is, on a connection of its own. Why a probe before the service's own
 * connection: the pool size and retryable writes are fixed when a client is created, and they
 * depend on the answer. One `buildInfo` on one connection, closed at once.
 */
export async function detectStore(uri: string, options: { timeoutMs: number }): Promise<StoreProfile> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: options.timeoutMs, connectTimeoutMS: options.timeoutMs, maxPoolSize: 1, retryWrites: false });
  try {
    await client.connect();
    return new StoreProfile(storeKindOf(await client.db('admin').command({ buildInfo: 1 })));
  } finally {
    await client.close().catch(() => undefined);
  }
}
