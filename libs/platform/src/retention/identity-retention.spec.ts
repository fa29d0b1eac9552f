import type { Model } from 'mongoose';
import { documentKey, documentLocks } from '../concurrency/document-locks';
import { StoreProfile } from '../store/store-profile';
import { eraseExpiredIdentities, IdentityRetentionTarget } from './identity-retention';

type Doc = Record<string, unknown> & { _id: string };

function matches(doc: Doc, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = doc[field];
    if (condition !== null && typeof condition === 'object') {
      const { $lt, $ne, $exists } = condition as { $lt?: string; $ne?: unknown; $exists?: boolean };
      if ($lt !== undefined && !(typeof value === 'string' && value < $lt)) return false;
      if ('$ne' in (condition as object) && value === $ne) return false;
      if ($exists !== undefined && (value !== undefined) !== $exists) return false;
      return true;
    }
    return value === condition;
  });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

/**
 * A collection as FerretDB 1.24 updates it: each matched document is read, changed in memory and
 * written back whole a moment later, with nothing stopping another write in between.
 */
function ferretLikeModel(docs: Doc[]) {
  const stored = new Map(docs.map((d) => [d._id, { ...d }]));
  let statements = 0;
  const updateMany = async (filter: Record<string, unknown>, update: { $set?: Record<string, unknown>; $unset?: Record<string, ''> }) => {
    statements++;
    const read = [...stored.values()].filter((d) => matches(d, filter)).map((d) => ({ ...d }));
    await pause();
    for (const doc of read) {
      Object.assign(doc, update.$set);
      for (const field of Object.keys(update.$unset ?? {})) delete doc[field];
      stored.set(doc._id, doc);
    }
    return { matchedCount: read.length, modifiedCount: read.length };
  };
  const collection = {
    dbName: 'crc',
    collectionName: 'visit_records',
    find: (filter: Record<string, unknown>) => ({ toArray: async () => [...stored.values()].filter((d) => matches(d, filter)) }),
    updateMany,
    deleteMany: async () => ({ deletedCount: 0 }),
  };
  const model = {
    collection,
    find: (filter: Record<string, unknown>) => ({
      limit: (n: number) => ({ lean: () => ({ exec: async () => [...stored.values()].filter((d) => matches(d, filter)).slice(0, n) }) }),
    }),
    updateMany: (filter: Record<string, unknown>, update: { $set?: Record<string, unknown>; $unset?: Record<string, ''> }) => ({
      exec: () => updateMany(filter, update),
    }),
  };
  /** A writer as the event applier writes a record: under its lock, read, then the whole document back. */
  const writeUnderLock = (id: string, set: Record<string, unknown>) =>
    documentLocks.run(documentKey(collection, id), async () => {
      const doc = { ...stored.get(id)! };
      await pause();
      stored.set(id, { ...doc, ...set });
    });
  return { model: model as unknown as Model<unknown>, stored, writeUnderLock, statements: () => statements };
}

const TARGET: IdentityRetentionTarget = {
  modelName: 'VisitRecord',
  serviceDateField: 'serviceDate',
  identityFields: ['memberId'],
  onlyWhen: { checkInSeen: true },
};
const NOW = new Date('2026-12-01T12:00:00Z');
const old = (i: number): Doc => ({ _id: `v${String(i).padStart(4, '0')}`, serviceDate: '2024-01-15', memberId: `M${i}`, checkInSeen: true });

describe('eraseExpiredIdentities', () => {
  it.each(['ferretdb', 'mongodb'] as const)('on %s erases the member ids of visits past retention only, and counts them', async (kind) => {
    const docs = [...Array.from({ length: 1_200 }, (_, i) => old(i)), { _id: 'recent', serviceDate: '2026-11-30', memberId: 'R', checkInSeen: true }];
    docs.push({ _id: 'unprocessed', serviceDate: '2024-01-15', memberId: 'U' });
    const { model, stored } = ferretLikeModel(docs);

    expect(await eraseExpiredIdentities(model, TARGET, 365, new StoreProfile(kind), { now: NOW })).toBe(1_200);

    expect(stored.get('v0000')).toEqual({ _id: 'v0000', serviceDate: '2024-01-15', checkInSeen: true, identityErased: true });
    expect([...stored.values()].filter((d) => d.memberId !== undefined).map((d) => d._id)).toEqual(['recent', 'unprocessed']);
    expect(await eraseExpiredIdentities(model, TARGET, 365, new StoreProfile(kind), { now: NOW })).toBe(0);
  });

  it('on FerretDB neither the erasure nor a concurrent write of the same record is lost', async () => {
    const { model, stored, writeUnderLock } = ferretLikeModel([old(1), old(2), old(3)]);

    await Promise.all([
      eraseExpiredIdentities(model, TARGET, 365, new StoreProfile('ferretdb'), { now: NOW }),
      writeUnderLock('v0002', { checkedOutAt: '2024-01-15T18:00:00Z' }),
    ]);

    expect(stored.get('v0002')).toMatchObject({ identityErased: true, checkedOutAt: '2024-01-15T18:00:00Z' });
    expect(stored.get('v0002')!.memberId).toBeUndefined();
  });
});
