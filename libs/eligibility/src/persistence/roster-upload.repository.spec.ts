import type { Model } from 'mongoose';
import { StoreProfile } from '@crc/platform';
import { RosterUploadRepository } from './roster-upload.repository';
import { RosterUploadDocument } from './roster-upload.schema';

const LEASE_MS = 60_000;
const STALE_MS = 5 * 60_000;

type Doc = Partial<RosterUploadDocument> & Record<string, unknown>;

/** The few query operators the repository's conditions use. */
function matches(doc: Doc, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Array<Record<string, unknown>>).some((branch) => matches(doc, branch));
    const value = doc[field];
    if (condition !== null && typeof condition === 'object' && !(condition instanceof Date)) {
      const { $exists, $lt } = condition as { $exists?: boolean; $lt?: Date };
      if ($exists !== undefined && (value !== undefined) !== $exists) return false;
      if ($lt !== undefined && !(value instanceof Date && value < $lt)) return false;
      return true;
    }
    return value === condition;
  });
}

/**
 * The uploads as FerretDB 1.24 updates them: a write reads the document, checks its condition, and
 * writes the whole document back a moment later, with nothing stopping another write in between.
 * Each write's span is logged, to see whether two overlap.
 */
function ferretLikeUploads(stored: Doc) {
  const log: string[] = [];
  let doc: Doc = { ...stored };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  const write = async (filter: Record<string, unknown>, update: { $set?: Doc; $unset?: Record<string, ''> }): Promise<Doc | undefined> => {
    log.push('write started');
    const read = matches(doc, filter) ? { ...doc } : undefined;
    await pause();
    if (read) {
      doc = { ...read, ...update.$set };
      for (const field of Object.keys(update.$unset ?? {})) delete doc[field];
    }
    log.push('write ended');
    return read;
  };
  const model = {
    collection: { dbName: 'crc', collectionName: 'roster_uploads' },
    updateOne: (filter: Record<string, unknown>, update: { $set?: Doc; $unset?: Record<string, ''> }) => ({
      exec: async () => ((await write(filter, update)) ? { matchedCount: 1, modifiedCount: 1 } : { matchedCount: 0, modifiedCount: 0 }),
    }),
    findOneAndUpdate: (filter: Record<string, unknown>, update: { $set: Doc }) => ({
      lean: () => ({ exec: async () => (await write(filter, update)) ?? null }),
    }),
  };
  return { model: model as unknown as Model<RosterUploadDocument>, log, current: () => doc };
}

/** An upload still receiving, silent for longer than an interrupted one would be (a stalled client, say). */
const silentWhileReceiving = (): Doc => ({
  _id: 'upload-1',
  plan: 'LA_CARE',
  mode: 'REPLACE',
  status: 'RECEIVING',
  accepted: 500,
  rejected: 0,
  updatedAt: new Date(Date.now() - 2 * STALE_MS),
});

describe('RosterUploadRepository', () => {
  it('keeps both the sweep\'s lease and the upload\'s own "stored" when they meet on FerretDB', async () => {
    const { model, current } = ferretLikeUploads(silentWhileReceiving());
    const uploads = new RosterUploadRepository(model, new StoreProfile('ferretdb'));

    const [job] = await Promise.all([
      uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS),
      uploads.stored('upload-1', { accepted: 1000, rejected: 0, removed: 3 }, ['M1', 'M2']),
    ]);

    expect(job?.interrupted).toBe(true);
    expect(current()).toMatchObject({ status: 'REATTRIBUTING', outcome: 'ACCEPTED', accepted: 1000, removed: 3, touched: ['M1', 'M2'] });
    expect(current().leaseUntil).toBeInstanceOf(Date);
  });

  it("serialises the upload's writes on FerretDB: each starts only after the one before ended", async () => {
    const { model, log } = ferretLikeUploads(silentWhileReceiving());
    const uploads = new RosterUploadRepository(model, new StoreProfile('ferretdb'));

    await Promise.all([
      uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS),
      uploads.progress('upload-1', { accepted: 600, rejected: 0 }),
      uploads.refused('upload-1', 'ROSTER.NO_VALID_ROWS', { accepted: 0, rejected: 600 }),
      uploads.extendLease('upload-1', LEASE_MS),
      uploads.reattributed('upload-1'),
    ]);

    // The claim writes twice (its lease, then INTERRUPTED): six writes, none overlapping another.
    expect(log).toEqual(Array(6).fill(['write started', 'write ended']).flat());
  });

  it('leaves the writes to the store on MongoDB (atomic there): nothing waits', async () => {
    const { model, log } = ferretLikeUploads(silentWhileReceiving());
    const uploads = new RosterUploadRepository(model, new StoreProfile('mongodb'));

    await Promise.all([
      uploads.progress('upload-1', { accepted: 600, rejected: 0 }),
      uploads.stored('upload-1', { accepted: 1000, rejected: 0, removed: 0 }, []),
    ]);

    expect(log).toEqual(['write started', 'write started', 'write ended', 'write ended']);
  });
});
