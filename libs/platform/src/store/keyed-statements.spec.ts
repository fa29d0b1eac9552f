import type { Document } from 'mongodb';
import { StoreProfile } from './store-profile';

/** Enough of a filter for these tests: equality, `$in`, `$exists`, `$or`, `$and`. */
function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$or') return (condition as Document[]).some((c) => matches(doc, c));
    if (key === '$and') return (condition as Document[]).every((c) => matches(doc, c));
    const value = doc[key];
    if (condition !== null && typeof condition === 'object' && '$in' in condition) return (condition.$in as unknown[]).includes(value);
    if (condition !== null && typeof condition === 'object' && '$exists' in condition) return (value !== undefined) === condition.$exists;
    return value === condition;
  });
}

/** A collection in memory that records each statement it gets and how many ran at once. */
function fakeCollection(docs: Document[], delayMs = 1) {
  const statements: Array<{ op: string; filter: Document; projection?: Document }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const timed = async <T>(work: () => T): Promise<T> => {
    mostAtOnce = Math.max(mostAtOnce, ++running);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    running--;
    return work();
  };
  const project = (doc: Document, projection?: Document) =>
    projection ? Object.fromEntries(Object.entries(doc).filter(([key]) => key === '_id' || projection[key])) : { ...doc };
  return {
    statements,
    mostAtOnce: () => mostAtOnce,
    find(filter: Document, options?: { projection?: Document }) {
      statements.push({ op: 'find', filter, projection: options?.projection });
      return { toArray: () => timed(() => docs.filter((doc) => matches(doc, filter)).map((doc) => project(doc, options?.projection))) };
    },
    deleteMany(filter: Document) {
      statements.push({ op: 'deleteMany', filter });
      return timed(() => {
        const gone = docs.filter((doc) => matches(doc, filter));
        for (const doc of gone) docs.splice(docs.indexOf(doc), 1);
        return { deletedCount: gone.length };
      });
    },
    updateMany(filter: Document, update: Document) {
      statements.push({ op: 'updateMany', filter });
      return timed(() => {
        const hit = docs.filter((doc) => matches(doc, filter));
        let modifiedCount = 0;
        for (const doc of hit) {
          const changes = Object.entries(update.$set as Document).filter(([key, value]) => doc[key] !== value);
          if (changes.length > 0) modifiedCount++;
          Object.assign(doc, Object.fromEntries(changes));
        }
        return { matchedCount: hit.length, modifiedCount };
      });
    },
  };
}

const coverages = () => [
  { _id: 'c1', memberId: 'M1', cin: 'C1', plan: 'A' },
  { _id: 'c2', memberId: 'M2', plan: 'A' },
  { _id: 'c3', memberId: 'M3', cin: 'C3', plan: 'B' },
  { _id: 'c4', memberId: 'C1', plan: 'B' }, // a member id that is also someone's CIN
];
const byId = (docs: Document[]) => [...docs].sort((a, b) => String(a._id).localeCompare(String(b._id)));

describe('StoreProfile.findByKeys', () => {
  const mongodb = new StoreProfile('mongodb');

  it('on MongoDB sends one $in per 1000 distinct values, with the filter and the projection', async () => {
    const collection = fakeCollection(coverages());
    const values = [...Array.from({ length: 2_400 }, (_, i) => `X${i}`), 'M1', 'M1', 'M3'];
    const found = await mongodb.findByKeys(collection, 'memberId', values, { filter: { plan: 'A' }, projection: { memberId: 1 } });

    expect(byId(found)).toEqual([{ _id: 'c1', memberId: 'M1' }]);
    expect(collection.statements.map((s) => (s.filter.memberId as { $in: unknown[] }).$in.length)).toEqual([1000, 1000, 402]);
    expect(collection.statements.every((s) => s.filter.plan === 'A' && s.projection?.memberId === 1)).toBe(true);
  });

  it('on MongoDB reads by any of several fields with one $or of $in per chunk, each document once', async () => {
    const collection = fakeCollection(coverages());
    const found = await mongodb.findByKeys(collection, ['memberId', 'cin'], ['M1', 'C1', 'M2']);

    expect(collection.statements).toEqual([
      {
        op: 'find',
        filter: {
          $or: [{ memberId: { $in: ['M1', 'C1', 'M2'] } }, { cin: { $in: ['M1', 'C1', 'M2'] } }],
        },
        projection: undefined,
      },
    ]);
    expect(byId(found).map((d) => d._id)).toEqual(['c1', 'c2', 'c4']);
  });

  it('on FerretDB sends one top-level equality per distinct value and field, the filter beside it', async () => {
    const collection = fakeCollection(coverages());
    const found = await new StoreProfile('ferretdb')
      .findByKeys(collection, ['memberId', 'cin'], ['M1', 'C1', 'M1'], {
        filter: { cin: undefined, plan: { $exists: true } } as never,
      })
      .catch((error: Error) => error.message);
    // The filter must not name a key field: each statement would then have two conditions on it.
    expect(found).toMatch(/must not name its key field \(cin\)/);

    const read = await new StoreProfile('ferretdb').findByKeys(collection, ['memberId', 'cin'], ['M1', 'C1', 'M1'], {
      filter: { plan: { $exists: true } },
      projection: { memberId: 1, cin: 1 },
    });
    expect(collection.statements.map((s) => s.filter)).toEqual([
      { plan: { $exists: true }, memberId: 'M1' },
      { plan: { $exists: true }, memberId: 'C1' },
      { plan: { $exists: true }, cin: 'M1' },
      { plan: { $exists: true }, cin: 'C1' },
    ]);
    // c1 is found twice (member id M1, CIN C1) and returned once.
    expect(byId(read)).toEqual([
      { _id: 'c1', memberId: 'M1', cin: 'C1' },
      { _id: 'c4', memberId: 'C1' },
    ]);
  });

  it('finds the same documents on both stores', async () => {
    const values = ['M1', 'C1', 'C3', 'nobody', 'M2', 'C1'];
    for (const [fields, filter] of [
      ['memberId', undefined],
      [['memberId', 'cin'], undefined],
      [['memberId', 'cin'], { plan: 'B' }],
      [['memberId', 'cin'], { $or: [{ plan: 'A' }, { cin: { $exists: false } }] }],
    ] as const) {
      const onMongo = await mongodb.findByKeys(fakeCollection(coverages()), fields, values, { filter });
      const onFerret = await new StoreProfile('ferretdb').findByKeys(fakeCollection(coverages()), fields, values, { filter });
      expect(byId(onFerret)).toEqual(byId(onMongo));
      expect(onMongo.length).toBeGreaterThan(0);
    }
  });

  it('sends nothing for no values, and refuses a projection without _id (it dedupes by it)', async () => {
    const collection = fakeCollection(coverages());
    expect(await new StoreProfile('ferretdb').findByKeys(collection, 'memberId', [])).toEqual([]);
    expect(await mongodb.findByKeys(collection, 'memberId', [])).toEqual([]);
    expect(collection.statements).toEqual([]);
    await expect(mongodb.findByKeys(collection, 'memberId', ['M1'], { projection: { _id: 0, memberId: 1 } })).rejects.toThrow(/_id/);
  });

  it('on FerretDB runs at most 8 statements at once in the process, and a short read is not held up behind a long one', async () => {
    const ferretdb = new StoreProfile('ferretdb');
    const docs = Array.from({ length: 300 }, (_, i) => ({ _id: `d${i}`, key: `k${i}` }));
    const collection = fakeCollection(docs, 2);
    const order: string[] = [];
    const long = ferretdb
      .findByKeys(
        collection,
        'key',
        docs.map((d) => d.key),
      )
      .then((found) => (order.push('long'), found));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const short = ferretdb.findByKeys(collection, 'key', ['k1', 'k299']).then((found) => (order.push('short'), found));
    const [all, two] = await Promise.all([long, short]);

    expect(collection.mostAtOnce()).toBe(8);
    expect(all).toHaveLength(300);
    expect(byId(two).map((d) => d._id)).toEqual(['d1', 'd299']);
    // Its two statements took their turns among the long read's, not after all 300.
    expect(order).toEqual(['short', 'long']);
  });

  it('on FerretDB stops sending after a statement fails, and fails the read', async () => {
    const collection = fakeCollection(coverages());
    let sent = 0;
    const failing = {
      ...collection,
      find: (filter: Document) => {
        sent++;
        if (filter.memberId === 'k3') return { toArray: () => Promise.reject(new Error('store away')) };
        return collection.find(filter);
      },
    };
    const values = Array.from({ length: 100 }, (_, i) => `k${i}`);
    await expect(new StoreProfile('ferretdb').findByKeys(failing, 'memberId', values)).rejects.toThrow('store away');
    expect(sent).toBeLessThan(20);
  });
});

describe('StoreProfile.deleteByKeys and updateByKeys', () => {
  it.each(['mongodb', 'ferretdb'] as const)('on %s change exactly the documents with those keys and count them', async (kind) => {
    const profile = new StoreProfile(kind);
    const docs = coverages();
    const collection = fakeCollection(docs);

    expect(await profile.updateByKeys(collection, '_id', ['c1', 'c3', 'gone'], { $set: { plan: 'B' } })).toEqual({ matchedCount: 2, modifiedCount: 1 });
    expect(await profile.deleteByKeys(collection, '_id', ['c3', 'c4', 'c4'], { plan: 'B' })).toBe(2);
    expect(docs).toEqual([
      { _id: 'c1', memberId: 'M1', cin: 'C1', plan: 'B' },
      { _id: 'c2', memberId: 'M2', plan: 'A' },
    ]);
    expect(collection.statements.map((s) => s.op)).toEqual(
      kind === 'mongodb' ? ['updateMany', 'deleteMany'] : ['updateMany', 'updateMany', 'updateMany', 'deleteMany', 'deleteMany'],
    );
  });
});

describe('StoreProfile.findByKeys on FerretDB, reading a small collection once', () => {
  const ferretdb = () => new StoreProfile('ferretdb');
  const visits = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ _id: `v${i}`, memberId: `M${i % 400}`, serviceDate: i % 2 ? '2026-11-01' : '2025-01-01', note: 'x' }));
  /** The fake answers `$collStats` with the stored size given. */
  const sized = (docs: Document[], storageSize: number | Error) => {
    const collection = fakeCollection(docs);
    let asked = 0;
    const aggregate = (pipeline: Document[]) => {
      asked++;
      expect(pipeline).toEqual([{ $collStats: { storageStats: {} } }]);
      return { toArray: async () => (storageSize instanceof Error ? Promise.reject(storageSize) : [{ storageStats: { storageSize } }]) };
    };
    return Object.assign(collection, { aggregate, asked: () => asked });
  };
  const keys = Array.from({ length: 150 }, (_, i) => `M${i * 3}`);
  const read = { filter: { serviceDate: { $exists: true } }, projection: { _id: 1, serviceDate: 1 } };

  it('under 8 KB of collection per key: one find with the filter, the same documents as per key, the key field dropped again', async () => {
    const small = sized(visits(1_000), 150 * 8 * 1024 - 1);
    const once = await ferretdb().findByKeys(small, 'memberId', keys, read);
    expect(small.statements).toEqual([{ op: 'find', filter: read.filter, projection: { _id: 1, serviceDate: 1, memberId: 1 } }]);

    const perKey = fakeCollection(visits(1_000));
    const expected = await ferretdb().findByKeys(perKey, 'memberId', keys, read);
    expect(perKey.statements).toHaveLength(150);
    expect(byId(once)).toEqual(byId(expected));
    expect(once.length).toBeGreaterThan(100);
    expect(once[0]).not.toHaveProperty('memberId');
  });

  it('over it, a statement per key; and the size, once asked, is not asked again at once', async () => {
    const large = sized(visits(1_000), 150 * 8 * 1024);
    const profile = ferretdb();
    await profile.findByKeys(large, 'memberId', keys, read);
    await profile.findByKeys(large, 'memberId', keys, read);
    expect(large.statements).toHaveLength(300);
    expect(large.asked()).toBe(1);
  });

  it('per key when the read is not projected, has fewer than 100 keys, or the size is not answered', async () => {
    const small = sized(visits(1_000), 1024);
    await ferretdb().findByKeys(small, 'memberId', keys, { filter: read.filter });
    await ferretdb().findByKeys(small, 'memberId', keys.slice(0, 99), read);
    expect(small.statements).toHaveLength(150 + 99);

    const silent = sized(visits(1_000), new Error('ns not found'));
    expect(byId(await ferretdb().findByKeys(silent, 'memberId', keys, read))).toEqual(
      byId(await ferretdb().findByKeys(fakeCollection(visits(1_000)), 'memberId', keys, read)),
    );
    expect(silent.statements).toHaveLength(150);
  });

  it('keeps a key field the projection asks for, and matches any of several key fields', async () => {
    const small = sized(coverages(), 1024);
    const values = [...Array.from({ length: 120 }, (_, i) => `X${i}`), 'C1', 'M2'];
    const found = await ferretdb().findByKeys(small, ['memberId', 'cin'], values, { projection: { _id: 1, memberId: 1 } });
    expect(small.statements).toHaveLength(1);
    expect(byId(found)).toEqual([
      { _id: 'c1', memberId: 'M1' },
      { _id: 'c2', memberId: 'M2' },
      { _id: 'c4', memberId: 'C1' },
    ]);
  });
});
