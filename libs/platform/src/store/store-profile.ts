import { Document, MongoClient, MongoClientOptions } from 'mongodb';
import { documentLocks } from '../concurrency/document-locks';
import { KeyedCollection, KeyedReadOptions, KeyedStatements } from './keyed-statements';

/** The servers the services run on: MongoDB in production, FerretDB 1.24 locally and in tests. */
export type StoreKind = 'mongodb' | 'ferretdb';

/** Values per `$in` on MongoDB. */
const IN_CHUNK = 1000;
/** Statements by key running at once in a process on FerretDB. */
const KEYED_CONCURRENCY = 8;
/**
 * FerretDB: a projected read of this many keys or more reads the collection once instead, while
 * the collection holds under this many bytes per key (measured on 20k visit records of 1.6 KB: one
 * pass 75 to 82 ms per MB, a statement per key 0.5 to 1.2 ms; they cost the same at 6 to 15 KB).
 */
const ONE_PASS_MIN_KEYS = 100;
const ONE_PASS_BYTES_PER_KEY = 8 * 1024;

/**
 * Everything that differs between the two stores, chosen once from the store found at connect.
 * Nothing else in the code asks which store it runs on.
 */
export class StoreProfile {
  private readonly keyed: KeyedStatements;

  constructor(readonly kind: StoreKind) {
    this.keyed = new KeyedStatements(
      kind === 'mongodb'
        ? // MongoDB serves `$in` from the field's index; chunks keep each statement's size modest.
          { kind: 'in-chunks', chunkSize: IN_CHUNK }
        : // FerretDB 1.24 passes only top-level equalities on to PostgreSQL (our GIN indexes serve them);
          // an `$in` or `$or` it evaluates itself over every document of the collection (measured: the
          // coverage lookup of a batch took 1.4 to 5.3 s over 20k coverages). A few at once: the pool
          // of 32 (connectionOptions) is shared with every other statement of the service.
          { kind: 'one-per-key', concurrency: KEYED_CONCURRENCY, onePass: { minKeys: ONE_PASS_MIN_KEYS, bytesPerKey: ONE_PASS_BYTES_PER_KEY } },
    );
  }

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

  /**
   * The documents whose `field` (or any of `fields`) is one of `values`, each once, in no particular
   * order: every read by a list of keys goes through here. On MongoDB one `$in` per 1000 values; on
   * FerretDB one equality per value, 8 at once per process (see KeyedStatements). `options.filter`
   * adds conditions every document must meet; `options.projection` keeps `_id`.
   * `collection`: a driver collection or a mongoose model's `model.collection`.
   */
  findByKeys<T extends Document = Document>(
    collection: KeyedCollection,
    fields: string | readonly string[],
    values: readonly unknown[],
    options?: KeyedReadOptions,
  ): Promise<T[]> {
    return this.keyed.find<T>(collection, fields, values, options);
  }

  /** Deletes the documents whose `field` is one of `values`, as `findByKeys` reads them; returns how many. */
  deleteByKeys(collection: KeyedCollection, field: string, values: readonly unknown[], filter?: Document): Promise<number> {
    return this.keyed.deleteMany(collection, field, values, filter);
  }

  /** Updates the documents whose `field` is one of `values`, as `findByKeys` reads them. Not atomic across keys on either store. */
  updateByKeys(
    collection: KeyedCollection,
    field: string,
    values: readonly unknown[],
    update: Document,
    filter?: Document,
  ): Promise<{ matchedCount: number; modifiedCount: number }> {
    return this.keyed.updateMany(collection, field, values, update, filter);
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
