import type { Model } from 'mongoose';
import { documentKey, documentLocks, InsertBatcher, StoreProfile } from '@crc/platform';
import { EventFacts } from '../domain/event-facts';

export type { EventFacts } from '../domain/event-facts';

interface Applicable {
  _id: string;
  appliedEventIds: string[];
}

/** The statements the applier needs of a projection's collection (`mongooseProjection` is the store's). */
export interface ProjectionCollection<T extends Applicable> {
  /** The key under which this process serialises writes to the document (see DocumentLocks). */
  lockKey(id: string): string;
  /** The documents that exist of these ids, in one read. */
  findMany(ids: string[]): Promise<T[]>;
  /** Inserts a new document; `duplicate` when one with its id exists already. */
  insert(doc: Record<string, unknown>): Promise<'inserted' | 'duplicate'>;
  /** Sets `set`, and `setOnInsert` if it creates the document, and adds the event ids, in one write (no field in both: the store refuses that). */
  upsert(id: string, set: Record<string, unknown>, setOnInsert: Record<string, unknown>, eventIds: string[]): Promise<void>;
}

/**
 * A projection's collection in the store: new documents through the model (its defaults), inserted
 * in group commits; a batch's documents read by key (StoreProfile.findByKeys).
 */
export function mongooseProjection<T extends Applicable>(model: Model<T>, store: StoreProfile): ProjectionCollection<T> {
  const inserts = new InsertBatcher<T>(model.collection as never);
  return {
    lockKey: (id) => documentKey(model.collection, id),
    findMany: (ids) => store.findByKeys<T>(model.collection, '_id', ids),
    insert: (doc) => inserts.insert(new model(doc).toObject() as never),
    upsert: async (id, set, setOnInsert, eventIds) => {
      await model
        .updateOne({ _id: id }, { $set: set, $setOnInsert: setOnInsert, $addToSet: { appliedEventIds: { $each: eventIds } } } as never, { upsert: true })
        .exec();
    },
  };
}

/**
 * Applies the facts of a batch of events to a collection of projections, each event once,
 * whatever the order: one read for the batch and at most one write per document. The read tells
 * which events each document already holds (a redelivery changes nothing); a new document is
 * inserted, and inserts of a batch share one commit. Few statements matter on FerretDB 1.24 on
 * SQLite, which scans the collection for every read and every updated document (an `_id` lookup
 * included: its query expression does not match its index); inserts are its only cheap write.
 */
export class EventFactsApplier<T extends Applicable> {
  constructor(private readonly collection: ProjectionCollection<T>) {}

  /**
   * Returns each touched document as it is after the batch. `decorate` may add fields to write
   * along with the facts, computed from those documents (changed ones only; the others are left as
   * they are); it also learns which of them no document existed for when the batch was read.
   */
  async apply(
    facts: EventFacts[],
    decorate?: (changed: T[], created: ReadonlySet<string>) => Promise<Map<string, Record<string, unknown>>>,
  ): Promise<Map<string, T>> {
    const byId = new Map<string, EventFacts[]>();
    for (const f of facts) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
    const ids = [...byId.keys()];
    return documentLocks.run(
      ids.map((id) => this.collection.lockKey(id)),
      async () => {
        const found = await this.collection.findMany(ids);
        const byKey = new Map(found.map((doc) => [doc._id, doc]));
        const stored = ids.map((id) => byKey.get(id) ?? null);
        const after = new Map<string, T>();
        const writes: Array<{ id: string; existing: T | null; set: Record<string, unknown>; setOnInsert: Record<string, unknown>; eventIds: string[] }> = [];
        const now = new Date();
        ids.forEach((id, i) => {
          const existing = stored[i];
          const seen = new Set(existing?.appliedEventIds ?? []);
          const fresh = byId.get(id)!.filter((f) => !seen.has(f.eventId) && seen.add(f.eventId));
          if (fresh.length === 0) {
            if (existing) after.set(id, existing);
            return;
          }
          const set = Object.assign({}, ...fresh.map((f) => f.set), { updatedAt: now }) as Record<string, unknown>;
          const setOnInsert = existing ? {} : fresh[0].setOnInsert;
          const eventIds = fresh.map((f) => f.eventId);
          writes.push({ id, existing, set, setOnInsert, eventIds });
          after.set(id, { ...(existing ?? { _id: id }), ...setOnInsert, ...set, appliedEventIds: [...(existing?.appliedEventIds ?? []), ...eventIds] } as T);
        });
        const created = new Set(writes.filter((w) => !w.existing).map((w) => w.id));
        const extra =
          decorate && writes.length > 0
            ? await decorate(
                writes.map((w) => after.get(w.id)!),
                created,
              )
            : new Map<string, Record<string, unknown>>();
        await Promise.all(
          writes.map(async (w) => {
            const set = { ...w.set, ...extra.get(w.id) };
            Object.assign(after.get(w.id)!, extra.get(w.id));
            // A field both set and set-on-insert would be a conflicting update: the later fact wins anyway.
            const setOnInsert = Object.fromEntries(Object.entries(w.setOnInsert).filter(([key]) => !(key in set)));
            if (!w.existing) {
              if ((await this.collection.insert({ _id: w.id, ...setOnInsert, ...set, appliedEventIds: w.eventIds })) === 'inserted') return;
              // Another writer created it meanwhile: apply ours to theirs, as any update would.
            }
            await this.collection.upsert(w.id, set, setOnInsert, w.eventIds);
          }),
        );
        return after;
      },
    );
  }
}
