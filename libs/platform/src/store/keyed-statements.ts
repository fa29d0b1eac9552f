import type { Document } from 'mongodb';

/**
 * What a statement by a list of keys needs of a collection: the driver's `Collection` has it, and so
 * has a mongoose model's `model.collection` (its reads then return what `.lean()` would).
 */
export interface KeyedCollection {
  find(filter: Document, options?: { projection?: Document }): { toArray(): Promise<Document[]> };
  deleteMany(filter: Document): Promise<{ deletedCount: number }>;
  updateMany(filter: Document, update: Document): Promise<{ matchedCount: number; modifiedCount: number }>;
  /** For the collection's size (`$collStats`), where reading it once may beat a statement per key. */
  aggregate?(pipeline: Document[]): { toArray(): Promise<Document[]> };
}

export interface KeyedReadOptions {
  /** The fields to return (a find projection). `_id` must stay in: documents found twice are told apart by it. */
  projection?: Document;
  /** Conditions besides the key that every document must meet, sent along with each statement. */
  filter?: Document;
}

/**
 * How statements by a list of key values are sent:
 * - `in-chunks`: one `$in` per `chunkSize` values (MongoDB serves `$in` from the field's index);
 * - `one-per-key`: one equality per value, at most `concurrency` statements of this process at
 *   once (FerretDB 1.24 passes only top-level equalities on to PostgreSQL, where our GIN indexes
 *   serve them; an `$in` or an `$or` it evaluates itself over every document of the collection).
 */
export type KeyedStrategy =
  | { kind: 'in-chunks'; chunkSize: number }
  | {
      kind: 'one-per-key';
      concurrency: number;
      /**
       * A projected read of at least `minKeys` keys reads the collection once instead (its key fields
       * matched here) while the collection's stored size is under `bytesPerKey` per key: one pass
       * then costs less than the statements (FerretDB: about 80 ms per MB read once, against 0.5 to
       * 1.2 ms per statement, 8 at once; docs/store.md).
       */
      onePass?: { minKeys: number; bytesPerKey: number };
    };

/** How long a collection's size, once asked, decides between one pass and statements. */
const SIZE_KNOWN_MS = 10_000;

/**
 * Reads, updates and deletes documents by a list of values of one field (or of any of several
 * fields), as the store serves best (see KeyedStrategy). StoreProfile chooses the strategy; callers
 * go through `StoreProfile.findByKeys` and its siblings.
 */
export class KeyedStatements {
  /** Shared by every statement of this process: a long list must not take the whole connection pool. */
  private readonly slots: Slots | undefined;

  private readonly sizes = new WeakMap<KeyedCollection, { bytes: number; at: number }>();

  constructor(private readonly strategy: KeyedStrategy) {
    this.slots = strategy.kind === 'one-per-key' ? new Slots(strategy.concurrency) : undefined;
  }

  /**
   * The documents whose `field` (or any of `fields`) is one of `values`, each once. In no particular
   * order: callers that need one sort.
   */
  async find<T extends Document = Document>(
    collection: KeyedCollection,
    fields: string | readonly string[],
    values: readonly unknown[],
    options: KeyedReadOptions = {},
  ): Promise<T[]> {
    if (options.projection?._id === 0 || options.projection?._id === false) throw new Error('findByKeys needs _id in the projection');
    if (await this.oneIsCheaper(collection, fields, values, options)) return this.findInOnePass<T>(collection, fields, values, options);
    const found = await this.each(fields, values, options.filter, (filter) =>
      collection.find(filter, options.projection ? { projection: options.projection } : {}).toArray(),
    );
    const seen = new Set<unknown>();
    const unique: T[] = [];
    for (const doc of found.flat()) {
      const id = idKey(doc._id);
      if (seen.has(id)) continue;
      seen.add(id);
      unique.push(doc as T);
    }
    return unique;
  }

  /**
   * Whether to read the collection once rather than a statement per key (see KeyedStrategy):
   * projected reads of plain string or number keys only, so that the matching here is exactly the
   * store's equality and only a few fields of each document travel.
   */
  private async oneIsCheaper(
    collection: KeyedCollection,
    fields: string | readonly string[],
    values: readonly unknown[],
    options: KeyedReadOptions,
  ): Promise<boolean> {
    const onePass = this.strategy.kind === 'one-per-key' ? this.strategy.onePass : undefined;
    if (!onePass || !options.projection || !collection.aggregate) return false;
    const keyFields = typeof fields === 'string' ? [fields] : [...fields];
    if (keyFields.some((f) => f.includes('.') || options.projection![f] === 0 || options.projection![f] === false)) return false;
    const distinct = new Set(values);
    if (distinct.size < onePass.minKeys || [...distinct].some((v) => typeof v !== 'string' && typeof v !== 'number')) return false;
    return (await this.storedBytes(collection)) < distinct.size * onePass.bytesPerKey;
  }

  /** The collection's stored size, asked at most every SIZE_KNOWN_MS (FerretDB answers it from PostgreSQL's relation size). */
  private async storedBytes(collection: KeyedCollection): Promise<number> {
    const known = this.sizes.get(collection);
    if (known && Date.now() - known.at < SIZE_KNOWN_MS) return known.bytes;
    let bytes = Infinity;
    try {
      const [stats] = await collection.aggregate!([{ $collStats: { storageStats: {} } }]).toArray();
      const storage = (stats?.storageStats ?? {}) as { storageSize?: unknown };
      bytes = Number(storage.storageSize ?? Infinity);
    } catch {
      // Not answered (no such collection yet, say): statements per key, as without a size.
    }
    if (!Number.isFinite(bytes)) bytes = Infinity;
    this.sizes.set(collection, { bytes, at: Date.now() });
    return bytes;
  }

  /** One read of the documents meeting `options.filter`, those with a key among `values` kept, the key fields dropped again unless asked for. */
  private async findInOnePass<T>(
    collection: KeyedCollection,
    fields: string | readonly string[],
    values: readonly unknown[],
    options: KeyedReadOptions,
  ): Promise<T[]> {
    const keyFields = typeof fields === 'string' ? [fields] : [...fields];
    const wanted = new Set(values);
    const included = Object.values(options.projection!).some((v) => v === 1 || v === true);
    const projection = included ? { ...options.projection, ...Object.fromEntries(keyFields.map((f) => [f, 1])) } : options.projection!;
    const docs = await this.slots!.run(() => collection.find(options.filter ?? {}, { projection }).toArray());
    const keep = (value: unknown) => (Array.isArray(value) ? value.some((v) => wanted.has(v)) : wanted.has(value));
    return docs
      .filter((doc) => keyFields.some((f) => keep(doc[f])))
      .map((doc) => {
        if (!included) return doc as T;
        const trimmed = { ...doc };
        for (const f of keyFields) if (f !== '_id' && !options.projection![f]) delete trimmed[f];
        return trimmed as T;
      });
  }

  /** Deletes the documents whose `field` is one of `values`; returns how many. */
  async deleteMany(collection: KeyedCollection, field: string, values: readonly unknown[], filter?: Document): Promise<number> {
    const results = await this.each(field, values, filter, (f) => collection.deleteMany(f));
    return results.reduce((sum, r) => sum + r.deletedCount, 0);
  }

  /** Applies `update` to the documents whose `field` is one of `values`; returns how many matched and how many changed. */
  async updateMany(
    collection: KeyedCollection,
    field: string,
    values: readonly unknown[],
    update: Document,
    filter?: Document,
  ): Promise<{ matchedCount: number; modifiedCount: number }> {
    const results = await this.each(field, values, filter, (f) => collection.updateMany(f, update));
    return results.reduce((sum, r) => ({ matchedCount: sum.matchedCount + r.matchedCount, modifiedCount: sum.modifiedCount + r.modifiedCount }), {
      matchedCount: 0,
      modifiedCount: 0,
    });
  }

  /** The filters this strategy sends for these keys, in order (exposed for tests and for reading). */
  filters(fields: string | readonly string[], values: readonly unknown[], extra: Document = {}): Document[] {
    const keyFields = typeof fields === 'string' ? [fields] : [...fields];
    for (const field of keyFields) if (field in extra) throw new Error(`the filter of a statement by keys must not name its key field (${field})`);
    const distinct = [...new Set(values)];
    if (distinct.length === 0 || keyFields.length === 0) return [];
    if (this.strategy.kind === 'one-per-key') {
      // Flat: a top-level `$and` would keep FerretDB from passing the key's equality on.
      return keyFields.flatMap((field) => distinct.map((value) => ({ ...extra, [field]: value })));
    }
    const filters: Document[] = [];
    for (let i = 0; i < distinct.length; i += this.strategy.chunkSize) {
      const chunk = distinct.slice(i, i + this.strategy.chunkSize);
      const byKey = keyFields.length === 1 ? { [keyFields[0]]: { $in: chunk } } : { $or: keyFields.map((field) => ({ [field]: { $in: chunk } })) };
      filters.push(Object.keys(extra).length === 0 ? byKey : '$or' in byKey && '$or' in extra ? { $and: [extra, byKey] } : { ...extra, ...byKey });
    }
    return filters;
  }

  /** Runs `statement` for each filter: one after another in chunks, or a few at once per key. */
  private async each<R>(
    fields: string | readonly string[],
    values: readonly unknown[],
    extra: Document | undefined,
    statement: (filter: Document) => Promise<R>,
  ): Promise<R[]> {
    const filters = this.filters(fields, values, extra);
    if (!this.slots) {
      const results: R[] = [];
      for (const filter of filters) results.push(await statement(filter));
      return results;
    }
    // As many workers as slots, each taking the next filter: a long list queues at most that many
    // statements for the shared slots, so another caller's statements get their turn in between.
    const slots = this.slots;
    const results = new Array<R>(filters.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < filters.length) {
        const i = next++;
        try {
          results[i] = await slots.run(() => statement(filters[i]));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(slots.size, filters.length) }, worker));
    return results;
  }
}

/** `_id`s compared by value: an ObjectId by its hex string. */
function idKey(id: unknown): unknown {
  return id !== null && typeof id === 'object' ? String(id) : id;
}

/** At most `size` pieces of work at once, the rest waiting in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const nextInLine = this.waiting.shift();
      if (nextInLine) nextInLine();
      else this.free++;
    }
  }
}
