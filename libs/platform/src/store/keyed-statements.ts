import type { Document } from 'mongodb';

/**
 * What a statement by a list of keys needs of a collection: the driver's `Collection` has it, and so
 * has a mongoose model's `model.collection` (its reads then return what `.lean()` would).
 */
export interface KeyedCollection {
  find(filter: Document, options?: { projection?: Document }): { toArray(): Promise<Document[]> };
  deleteMany(filter: Document): Promise<{ deletedCount: number }>;
  updateMany(filter: Document, update: Document): Promise<{ matchedCount: number; modifiedCount: number }>;
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
export type KeyedStrategy = { kind: 'in-chunks'; chunkSize: number } | { kind: 'one-per-key'; concurrency: number };

/**
 * Reads, updates and deletes documents by a list of values of one field (or of any of several
 * fields), as the store serves best (see KeyedStrategy). StoreProfile chooses the strategy; callers
 * go through `StoreProfile.findByKeys` and its siblings.
 */
export class KeyedStatements {
  /** Shared by every statement of this process: a long list must not take the whole connection pool. */
  private readonly slots: Slots | undefined;

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
