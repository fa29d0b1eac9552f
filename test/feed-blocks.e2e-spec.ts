import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { FeedEntry } from '../libs/attribution/src/domain/utilization-revision';
import { FEED_BLOCK, UtilizationFeedRepository } from '../libs/attribution/src/persistence/utilization-feed.repository';
import { SequenceSchema, UtilizationRecordSchema } from '../libs/attribution/src/persistence/utilization-record.schema';
import { detectStore } from '../libs/platform/src/store/store-profile';

/**
 * The pull feed's pages on the real store: read by blocks of positions (an equality the store
 * serves from an index, never a scan of the whole feed), and entries stored before blocks existed
 * tagged at start without a page going missing in between.
 */
describe('feed pages by block of positions', () => {
  let connection: mongoose.Connection;
  let feed: UtilizationFeedRepository;
  let records: mongoose.Model<any>;
  let sequences: mongoose.Model<any>;

  const entry = (feedPlan: FeedEntry['feedPlan']): FeedEntry => {
    const visitId = randomUUID();
    return {
      recordId: `${visitId}:1`,
      visitId,
      revision: 1,
      status: 'ACTIVE',
      feedPlan,
      centerId: 'crc-el-monte',
      serviceDate: '2026-11-28',
      plan: feedPlan,
      basis: 'ELIGIBILITY',
      flags: [],
      ruleVersion: 2,
      purposes: ['EXERCISE_CLASS'],
      checkedInAt: '2026-11-28T17:00:00.000Z',
    } as FeedEntry;
  };

  const fresh = async () => {
    const db = `crc_feed_blocks_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await connection?.close();
    connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: db }).asPromise();
    records = connection.model('UtilizationRecordDocument', UtilizationRecordSchema);
    sequences = connection.model('SequenceDocument', SequenceSchema);
    await records.init();
    feed = new UtilizationFeedRepository(records as never, sequences as never, await detectStore(process.env.MONGODB_URI!, { timeoutMs: 5_000 }));
  };

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('reads every entry once, in order, page after page, and each plan only its own', async () => {
    await fresh();
    await feed.tagBlocks(); // a new store: nothing to tag, pages are read by block from now on
    const count = 2 * FEED_BLOCK + 37;
    await feed.append(
      Array.from({ length: count }, () => entry('LA_CARE')),
      { firstAttempt: true },
    );
    await feed.append(
      Array.from({ length: 5 }, () => entry('BLUE_SHIELD_PROMISE')),
      { firstAttempt: true },
    );
    expect((await records.countDocuments({ feedBlock: { $exists: false } })).valueOf()).toBe(0);

    const seen: number[] = [];
    for (let after = 0; ;) {
      const page = await feed.page('LA_CARE', after, 60);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(60);
      expect(page.every((d) => d.feedPlan === 'LA_CARE')).toBe(true);
      seen.push(...page.map((d) => d.seq));
      after = page[page.length - 1].seq;
    }
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect((await feed.page('BLUE_SHIELD_PROMISE', 0, 100)).map((d) => d.seq)).toEqual([1, 2, 3, 4, 5]);
    // Across a block's end.
    expect((await feed.visitPositions('LA_CARE', FEED_BLOCK - 3, 5)).map((p) => p.seq)).toEqual([-2, -1, 0, 1, 2].map((n) => FEED_BLOCK + n));
  });

  it('tags entries stored before blocks, reading them the old way until then', async () => {
    await fresh();
    // As an older version stored them: no block, and no mark that blocks are complete.
    const legacy = Array.from({ length: FEED_BLOCK + 20 }, (_, i) => ({ ...entry('LA_CARE'), seq: i + 1, publishedAt: new Date() }));
    await records.collection.insertMany(legacy.map((e) => ({ ...e, _id: `LA_CARE:${e.visitId}:1`, checkedInAt: new Date(e.checkedInAt) })) as never[]);
    await sequences.collection.insertOne({ _id: 'utilization:LA_CARE', value: legacy.length } as never);

    const before = (await feed.page('LA_CARE', 10, 200)).map((d) => d.seq);
    expect(before).toEqual(legacy.slice(10).map((e) => e.seq));

    expect(await feed.tagBlocks()).toBe(legacy.length);
    expect(await records.countDocuments({ feedBlock: { $exists: false } })).toBe(0);
    const reader = new UtilizationFeedRepository(records as never, sequences as never, await detectStore(process.env.MONGODB_URI!, { timeoutMs: 5_000 }));
    expect((await reader.page('LA_CARE', 10, 200)).map((d) => d.seq)).toEqual(before);
    expect(await reader.tagBlocks()).toBe(0);
  });
});
