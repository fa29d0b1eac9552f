import type { Model } from 'mongoose';
import { StoreProfile } from '@crc/platform';
import { RosterUploadRepository } from './roster-upload.repository';
import { RosterUploadDocument } from './roster-upload.schema';

const LEASE_MS = 60_000;
const STALE_MS = 5 * 60_000;

type Doc = Partial<RosterUploadDocument> & Record<string, unknown>;
type Update = { $set?: Doc; $unset?: Record<string, ''>; $inc?: Record<string, number> };

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
  const write = async (filter: Record<string, unknown>, update: Update): Promise<Doc | undefined> => {
    log.push('write started');
    const read = matches(doc, filter) ? { ...doc } : undefined;
    await pause();
    if (read) {
      doc = { ...read, ...update.$set };
      for (const field of Object.keys(update.$unset ?? {})) delete doc[field];
      for (const [field, by] of Object.entries(update.$inc ?? {})) doc[field] = ((doc[field] as number | undefined) ?? 0) + by;
    }
    log.push('write ended');
    return read;
  };
  const model = {
    collection: { dbName: 'crc', collectionName: 'roster_uploads' },
    updateOne: (filter: Record<string, unknown>, update: Update) => ({
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
  it("keeps the upload's own \"stored\" when it meets the sweep's claim on FerretDB, and ends the claim's hold", async () => {
    const { model, current } = ferretLikeUploads(silentWhileReceiving());
    const uploads = new RosterUploadRepository(model, new StoreProfile('ferretdb'));

    const [job] = await Promise.all([
      uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS),
      uploads.stored('upload-1', { accepted: 1000, rejected: 0, removed: 3 }, ['M1', 'M2']),
    ]);

    expect(job?.interrupted).toBe(true);
    expect(current()).toMatchObject({ status: 'REATTRIBUTING', outcome: 'ACCEPTED', accepted: 1000, removed: 3, touched: ['M1', 'M2'], jobVersion: 1 });
    expect(current().leaseUntil).toBeUndefined();
  });

  it("serialises the upload's writes on FerretDB: each starts only after the one before ended", async () => {
    const { model, log } = ferretLikeUploads(silentWhileReceiving());
    const uploads = new RosterUploadRepository(model, new StoreProfile('ferretdb'));

    await Promise.all([
      uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS),
      uploads.progress('upload-1', { accepted: 600, rejected: 0 }),
      uploads.refused('upload-1', 'ROSTER.NO_VALID_ROWS', { accepted: 0, rejected: 600 }),
      uploads.extendLease({ uploadId: 'upload-1', version: 0 }, LEASE_MS),
      uploads.reattributed({ uploadId: 'upload-1', version: 0 }),
    ]);

    // The claim writes twice (its lease, then INTERRUPTED): six writes, none overlapping another.
    expect(log).toEqual(Array(6).fill(['write started', 'write ended']).flat());
  });

  it('finishes the job it claimed: identifiers gone, DONE', async () => {
    const { model, current } = ferretLikeUploads({ ...silentWhileReceiving(), status: 'REATTRIBUTING', touched: ['M1'], jobVersion: 1 });
    const uploads = new RosterUploadRepository(model, new StoreProfile('ferretdb'));

    const job = await uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS);
    expect(job).toMatchObject({ identifiers: ['M1'], interrupted: false, version: 1 });
    await uploads.extendLease(job!, LEASE_MS);
    expect(await uploads.reattributed(job!)).toBe(true);

    expect(current()).toMatchObject({ status: 'DONE' });
    expect(current().touched).toBeUndefined();
    expect(current().leaseUntil).toBeUndefined();
  });

  it.each(['ferretdb', 'mongodb'] as const)(
    'on %s, an upload stored while a sweep attributes its interrupted-looking part stays due with its full list',
    async (kind) => {
      const { model, current } = ferretLikeUploads(silentWhileReceiving());
      const uploads = new RosterUploadRepository(model, new StoreProfile(kind));

      // The sweep takes the silent upload for interrupted, knowing the spans stored so far...
      const job = await uploads.claim('upload-1', new Date(), LEASE_MS, STALE_MS);
      expect(job).toMatchObject({ interrupted: true, version: 0 });
      // ...then the upload ends after all, having stored members the sweep never read.
      await uploads.stored('upload-1', { accepted: 1000, rejected: 0, removed: 0 }, ['M1', 'M2']);
      expect(current().leaseUntil).toBeUndefined();

      await uploads.extendLease(job!, LEASE_MS);
      expect(await uploads.reattributed(job!)).toBe(false);

      // Still due (no lease), with the members to attribute again and the upload's own outcome.
      expect(current()).toMatchObject({ status: 'REATTRIBUTING', outcome: 'ACCEPTED', touched: ['M1', 'M2'], jobVersion: 1 });
      expect(current().leaseUntil).toBeUndefined();
    },
  );

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
