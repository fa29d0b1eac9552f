import type { Model } from 'mongoose';
import { StoreProfile } from '@crc/platform';
import { X12InterchangeRepository } from './x12-interchange.repository';
import { X12InterchangeDocument } from './x12-interchange.schema';

const STALE_MS = 5 * 60_000;
const KEY = { plan: 'LA_CARE' as const, id: 'LA_CARE|ZZ:SENDER|000000001' };

/**
 * The interchanges as FerretDB 1.24 updates them: a write reads the document, checks its condition,
 * and writes it back a moment later, with nothing stopping another write in between. Each write's
 * span is logged, to see whether two overlap.
 */
function ferretLikeInterchanges(stored: X12InterchangeDocument) {
  const log: string[] = [];
  let doc: X12InterchangeDocument | undefined = { ...stored };
  const matches = (filter: Record<string, unknown>) => doc !== undefined && Object.entries(filter).every(([field, value]) => doc![field as never] === value);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  const model = {
    collection: { dbName: 'crc', collectionName: 'eligibility_x12_interchanges' },
    create: async () => {
      throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    },
    findById: () => ({ lean: () => ({ exec: async () => (doc ? { ...doc } : null) }) }),
    updateOne: (filter: Record<string, unknown>, update: { $set: Partial<X12InterchangeDocument> }) => ({
      exec: async () => {
        log.push('write started');
        const read = matches(filter) ? { ...doc! } : undefined;
        await pause();
        if (read) doc = { ...read, ...update.$set };
        log.push('write ended');
        return { matchedCount: read ? 1 : 0, modifiedCount: read ? 1 : 0 };
      },
    }),
    deleteOne: (filter: Record<string, unknown>) => ({
      exec: async () => {
        log.push('write started');
        const found = matches(filter);
        await pause();
        if (found) doc = undefined;
        log.push('write ended');
        return { deletedCount: found ? 1 : 0 };
      },
    }),
  };
  return { model: model as unknown as Model<X12InterchangeDocument>, log, current: () => doc };
}

/** A claim left by an upload that stopped heart-beating ten minutes ago. */
const abandoned = (): X12InterchangeDocument => ({
  _id: KEY.id,
  plan: KEY.plan,
  uploadId: 'dead-upload',
  contentHash: 'same-bytes',
  status: 'APPLYING',
  updatedAt: new Date(Date.now() - 2 * STALE_MS),
});

describe('X12InterchangeRepository', () => {
  it('lets one of two resends take over an abandoned interchange on FerretDB, never both', async () => {
    const { model, current } = ferretLikeInterchanges(abandoned());
    const interchanges = new X12InterchangeRepository(model, new StoreProfile('ferretdb'));

    const [a, b] = await Promise.all([
      interchanges.claim(KEY, 'upload-a', 'same-bytes', STALE_MS),
      interchanges.claim(KEY, 'upload-b', 'same-bytes', STALE_MS),
    ]);

    expect([a.outcome, b.outcome].sort()).toEqual(['CLAIMED', 'IN_PROGRESS']);
    expect(current()?.uploadId).toBe(a.outcome === 'CLAIMED' ? 'upload-a' : 'upload-b');
  });

  it("serialises the interchange's writes on FerretDB: each starts only after the one before ended", async () => {
    const { model, log } = ferretLikeInterchanges(abandoned());
    const interchanges = new X12InterchangeRepository(model, new StoreProfile('ferretdb'));

    await Promise.all([
      interchanges.claim(KEY, 'upload-a', 'same-bytes', STALE_MS),
      interchanges.heartbeat(KEY.id, 'dead-upload'),
      interchanges.applied(KEY.id, 'dead-upload'),
      interchanges.release(KEY.id, 'dead-upload'),
    ]);

    expect(log).toEqual(Array(4).fill(['write started', 'write ended']).flat());
  });

  it('leaves the writes to the store on MongoDB (atomic there): nothing waits', async () => {
    const { model, log } = ferretLikeInterchanges(abandoned());
    const interchanges = new X12InterchangeRepository(model, new StoreProfile('mongodb'));

    await Promise.all([interchanges.heartbeat(KEY.id, 'dead-upload'), interchanges.applied(KEY.id, 'dead-upload')]);

    expect(log).toEqual(['write started', 'write started', 'write ended', 'write ended']);
  });
});
