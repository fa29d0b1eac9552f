import { OutboxEntry } from '../outbox/outbox-entry';
import { AggregateDocument, AggregateStore, OutboxHandOff } from './aggregate-store';
import { StoreProfile } from './store-profile';

interface CaseDoc extends AggregateDocument {
  centerId: string;
  notes: string[];
  version: number;
}

const entry = (eventId: string): OutboxEntry => ({ eventId, topic: 'crc.test.v1', key: 'k', value: '{}' });

/**
 * A stand-in for one collection, enough for the store's statements: `insertMany` with duplicate-id
 * errors as the driver reports them, `findOne` and `updateOne` by equality on top-level fields,
 * `$set`, `$push` (with `$each`) and `$inc`. `beforeUpdate` runs before an update applies (a
 * concurrent writer, say).
 */
function fakeCollection(hooks: { beforeUpdate?: (docs: Map<string, CaseDoc>) => void } = {}) {
  const docs = new Map<string, CaseDoc>();
  // Copies what a write or read would (arrays included), keeping Dates as they are.
  const copy = <T extends object>(doc: T): T => Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) as T;
  const matches = (filter: Record<string, unknown>, doc: CaseDoc) =>
    Object.entries(filter).every(([field, value]) => (doc as unknown as Record<string, unknown>)[field] === value);
  return {
    docs,
    collection: {
      dbName: 'test',
      collectionName: 'cases',
      insertMany: async (batch: CaseDoc[]) => {
        const writeErrors = batch.flatMap((doc, index) => (docs.has(doc._id) ? [{ index, code: 11000 }] : []));
        for (const doc of batch) if (!docs.has(doc._id)) docs.set(doc._id, copy(doc));
        if (writeErrors.length > 0) throw Object.assign(new Error('E11000 duplicate key'), { writeErrors });
      },
      findOne: async (filter: Record<string, unknown>) => {
        const doc = [...docs.values()].find((d) => matches(filter, d));
        if (!doc) return null;
        const { outbox: _outbox, outboxPending: _pending, outboxSince: _since, ...rest } = copy(doc);
        return rest;
      },
      updateOne: async (
        filter: Record<string, unknown>,
        update: { $set?: Record<string, unknown>; $push?: Record<string, unknown>; $inc?: Record<string, number> },
      ) => {
        hooks.beforeUpdate?.(docs);
        const doc = [...docs.values()].find((d) => matches(filter, d)) as unknown as Record<string, unknown> | undefined;
        if (!doc) return { modifiedCount: 0 };
        Object.assign(doc, update.$set);
        for (const [field, value] of Object.entries(update.$push ?? {})) {
          const added = (value as { $each?: unknown[] }).$each ?? [value];
          doc[field] = [...((doc[field] as unknown[]) ?? []), ...added];
        }
        for (const [field, by] of Object.entries(update.$inc ?? {})) doc[field] = ((doc[field] as number) ?? 0) + by;
        return { modifiedCount: 1 };
      },
    },
  };
}

function relayCalls() {
  const calls: string[] = [];
  const relay: OutboxHandOff = {
    handOff: (id, entries) => void calls.push(`handOff ${id} ${entries.map((e) => e.eventId).join(',')}`),
    notify: (id) => void calls.push(`notify ${id}`),
    storeInterrupted: () => void calls.push('storeInterrupted'),
  };
  return { calls, relay };
}

const storeOver = (fake: ReturnType<typeof fakeCollection>, relay: OutboxHandOff, kind: 'mongodb' | 'ferretdb' = 'mongodb') =>
  new AggregateStore<CaseDoc>(fake.collection as never, relay, new StoreProfile(kind));

describe('AggregateStore insert', () => {
  it('writes the aggregate and its events in one document and hands the events to the relay', async () => {
    const fake = fakeCollection();
    const { calls, relay } = relayCalls();
    const store = storeOver(fake, relay);
    expect(await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, [entry('e1')])).toBe('inserted');
    expect(fake.docs.get('c1')).toEqual({
      _id: 'c1',
      centerId: 'ctr',
      notes: [],
      version: 0,
      outbox: [entry('e1')],
      outboxPending: true,
      outboxSince: expect.any(Date),
    });
    expect(calls).toEqual(['handOff c1 e1']);
  });

  it('answers exists for an id already stored, writes nothing, and asks the relay to publish what the stored one still lacks', async () => {
    const fake = fakeCollection();
    const { calls, relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, [entry('e1')]);
    expect(await store.insert({ _id: 'c1', centerId: 'other', notes: [], version: 0 }, [entry('e2')])).toBe('exists');
    expect(fake.docs.get('c1')?.centerId).toBe('ctr');
    expect(fake.docs.get('c1')?.outbox).toEqual([entry('e1')]);
    // A retry after a write its writer was told had failed: nobody handed those events off.
    expect(calls).toEqual(['handOff c1 e1', 'notify c1']);
  });

  it('fails when the store does not say what became of the insert (a dropped connection)', async () => {
    const fake = fakeCollection();
    fake.collection.insertMany = async () => {
      throw Object.assign(new Error('connection closed'), { writeErrors: [] });
    };
    const { calls, relay } = relayCalls();
    await expect(storeOver(fake, relay).insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, [entry('e1')])).rejects.toThrow('connection closed');
    expect(calls).toEqual([]);
  });
});

describe('AggregateStore modify', () => {
  it('writes the decided change with its events, bumps the revision and notifies the relay', async () => {
    const fake = fakeCollection();
    const { calls, relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    const result = await store.modify('c1', { centerId: 'ctr' }, (current) => ({
      result: current?.notes.length,
      change: { push: { notes: 'first' }, events: [entry('n1')] },
    }));
    expect(result).toBe(0);
    expect(fake.docs.get('c1')).toMatchObject({ notes: ['first'], version: 1, outbox: [entry('n1')], outboxPending: true });
    expect(calls).toEqual(['notify c1']);
  });

  it('decides again on the fresh state when another writer changed the aggregate after it was read', async () => {
    let raced = false;
    const fake = fakeCollection({
      beforeUpdate: (docs) => {
        if (raced) return;
        raced = true;
        // Another instance's write lands between this one's read and its update.
        const doc = docs.get('c1')!;
        Object.assign(doc, { notes: [...doc.notes, 'theirs'], version: doc.version + 1 });
      },
    });
    const { relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    const seen: string[][] = [];
    await store.modify('c1', { centerId: 'ctr' }, (current) => {
      seen.push([...current!.notes]);
      return { result: undefined, change: { push: { notes: 'mine' }, events: [] } };
    });
    expect(seen).toEqual([[], ['theirs']]);
    expect(fake.docs.get('c1')).toMatchObject({ notes: ['theirs', 'mine'], version: 2 });
  });

  it('gives up after a few lost races rather than loop for ever', async () => {
    const fake = fakeCollection({ beforeUpdate: (docs) => void (docs.get('c1')!.version += 1) });
    const { relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    await expect(store.modify('c1', {}, () => ({ result: undefined, change: { push: { notes: 'x' }, events: [] } }))).rejects.toThrow('kept changing');
  });

  it('writes nothing and tells the relay nothing when the decision only answers, or the aggregate is not in scope', async () => {
    const fake = fakeCollection();
    const { calls, relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    calls.length = 0;
    expect(await store.modify('c1', { centerId: 'elsewhere' }, (current) => ({ result: current === undefined, change: { events: [entry('x')] } }))).toBe(true);
    expect(await store.modify('c1', { centerId: 'ctr' }, () => ({ result: 'read only' }))).toBe('read only');
    expect(fake.docs.get('c1')).toMatchObject({ version: 0, outbox: [] });
    expect(calls).toEqual([]);
  });

  it('on FerretDB, serialises two modifications of one aggregate in this process so that both survive', async () => {
    // A stand-in that, like FerretDB, lets two conditional updates of one document both match when they overlap.
    const fake = fakeCollection();
    const { relay } = relayCalls();
    const inFlight = { reads: 0, max: 0 };
    const findOne = fake.collection.findOne;
    fake.collection.findOne = async (filter) => {
      inFlight.max = Math.max(inFlight.max, ++inFlight.reads);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await findOne(filter);
      } finally {
        inFlight.reads--;
      }
    };
    const store = storeOver(fake, relay, 'ferretdb');
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    await Promise.all(['a', 'b'].map((note) => store.modify('c1', {}, () => ({ result: undefined, change: { push: { notes: note }, events: [] } }))));
    expect(inFlight.max).toBe(1);
    expect(fake.docs.get('c1')?.notes.sort()).toEqual(['a', 'b']);
  });
});

describe('AggregateStore update', () => {
  it('writes only while the condition holds, and notifies the relay only of a write with events', async () => {
    const fake = fakeCollection();
    const { calls, relay } = relayCalls();
    const store = storeOver(fake, relay);
    await store.insert({ _id: 'c1', centerId: 'ctr', notes: [], version: 0 }, []);
    calls.length = 0;
    expect(await store.update('c1', { centerId: 'ctr' }, { set: { centerId: 'moved' }, events: [entry('m1')] })).toBe(true);
    expect(await store.update('c1', { centerId: 'ctr' }, { set: { centerId: 'again' }, events: [entry('m2')] })).toBe(false);
    expect(await store.update('c1', { centerId: 'moved' }, { set: { notes: ['quiet'] }, events: [] })).toBe(true);
    expect(fake.docs.get('c1')).toMatchObject({ centerId: 'moved', notes: ['quiet'], outbox: [entry('m1')] });
    expect(calls).toEqual(['notify c1']);
  });
});
