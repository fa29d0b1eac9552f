import type { Model } from 'mongoose';
import { StoreProfile } from '@crc/platform';
import { DashboardTallyRepository } from './dashboard-tally.repository';
import { DashboardDaySummaryDocument, DashboardTallyDocument } from './dashboard-tally.schema';

/** Tallies and summaries in memory, as the repository writes them; every tally write counted. */
function inMemoryTallies() {
  const tallies = new Map<string, Record<string, unknown>>();
  const summaries = new Map<string, Record<string, unknown>>();
  let tallyWrites = 0;
  const setPath = (doc: Record<string, unknown>, path: string, value: unknown) => {
    const [head, key] = path.split('.');
    if (key === undefined) doc[head] = value;
    else doc[head] = { ...((doc[head] as Record<string, unknown>) ?? {}), [key]: value };
  };
  const tallyModel = {
    collection: {
      dbName: 'crc',
      collectionName: 'dashboard_tallies',
      async findOneAndUpdate(filter: { _id: string }, update: { $set: Record<string, unknown>; $setOnInsert: Record<string, unknown> }) {
        tallyWrites++;
        const doc = tallies.get(filter._id) ?? { _id: filter._id, ...update.$setOnInsert, version: 0 };
        for (const [path, value] of Object.entries(update.$set)) setPath(doc, path, value);
        doc.version = (doc.version as number) + 1;
        tallies.set(filter._id, doc);
        return structuredClone(doc);
      },
    },
  };
  const summaryModel = {
    collection: {
      async updateOne(filter: { _id: string }, update: { $set: Record<string, unknown> }) {
        const doc = summaries.get(filter._id);
        if (!doc) return { matchedCount: 0 };
        summaries.set(filter._id, { ...doc, ...update.$set });
        return { matchedCount: 1 };
      },
      async insertOne(doc: { _id: string }) {
        summaries.set(doc._id, doc);
      },
    },
  };
  const repository = new DashboardTallyRepository(
    tallyModel as unknown as Model<DashboardTallyDocument>,
    summaryModel as unknown as Model<DashboardDaySummaryDocument>,
    { visitorKey: (memberId: string) => `key-${memberId}` } as never,
    new StoreProfile('ferretdb'),
  );
  return { repository, tallies, summaries, tallyWrites: () => tallyWrites };
}

const visit = (id: string, centerId: string, serviceDate: string, checkedOut = false) => ({
  _id: id,
  centerId,
  serviceDate,
  checkInSeen: true,
  checkedInAt: new Date(`${serviceDate}T15:00:00Z`),
  ...(checkedOut ? { checkedOutAt: new Date(`${serviceDate}T16:00:00Z`) } : {}),
  purposes: ['MEMBERSHIP_HELP' as const],
  memberId: `M-${id}`,
});

describe('DashboardTallyRepository', () => {
  it('writes each tally a batch touches once, with its summary', async () => {
    const { repository, tallies, summaries, tallyWrites } = inMemoryTallies();
    await repository.recordVisits([visit('v1', 'crc-a', '2026-03-01'), visit('v2', 'crc-a', '2026-03-01'), visit('v3', 'crc-b', '2026-03-01')]);
    expect(tallyWrites()).toBe(2);
    const crcA = tallies.get([...tallies.keys()].find((k) => k.includes('crc-a'))!)!;
    expect(Object.keys(crcA.visits as object)).toHaveLength(2);
    // Each entry stored as one string (tally-entries.ts), read back by the summary.
    expect(Object.values(crcA.visits as object).every((entry) => typeof entry === 'string')).toBe(true);
    expect(summaries.size).toBe(2);
    const summaryOfA = [...summaries.values()].find((s) => (s.summary as { centerId: string }).centerId === 'crc-a')!.summary;
    expect(summaryOfA).toMatchObject({ visits: 2, openVisits: 2, visitsPerService: { MEMBERSHIP_HELP: 2 } });
  });

  it('deferring, holds the writes of many batches and writes each tally once, the later change of a visit winning', async () => {
    const held = inMemoryTallies();
    held.repository.deferWrites();
    await held.repository.recordVisits([visit('v1', 'crc-a', '2026-03-01'), visit('v2', 'crc-b', '2026-03-02')]);
    await held.repository.recordVisits([visit('v1', 'crc-a', '2026-03-01', true)]);
    await held.repository.recordVisits([visit('v3', 'crc-a', '2026-03-01')]);
    expect(held.tallyWrites()).toBe(0);
    expect(held.summaries.size).toBe(0);
    expect(await held.repository.flushDeferred()).toBe(2);
    expect(held.tallyWrites()).toBe(2);

    // The same state as writing each batch as it came.
    const direct = inMemoryTallies();
    await direct.repository.recordVisits([visit('v1', 'crc-a', '2026-03-01'), visit('v2', 'crc-b', '2026-03-02')]);
    await direct.repository.recordVisits([visit('v1', 'crc-a', '2026-03-01', true)]);
    await direct.repository.recordVisits([visit('v3', 'crc-a', '2026-03-01')]);
    expect(direct.tallyWrites()).toBe(4);
    const strip = (docs: Map<string, Record<string, unknown>>) => [...docs.values()].map(({ version: _version, ...rest }) => rest);
    expect(strip(held.tallies)).toEqual(strip(direct.tallies));
    expect([...held.summaries.values()].map((s) => s.summary)).toEqual([...direct.summaries.values()].map((s) => s.summary));

    // After the flush, writes go out as they come again.
    await held.repository.recordVisits([visit('v4', 'crc-a', '2026-03-03')]);
    expect(held.tallyWrites()).toBe(3);
  });

  it('deferring, writes what it holds once 20,000 entries are held, and goes on holding', async () => {
    const { repository, tallyWrites } = inMemoryTallies();
    repository.deferWrites();
    const day = (i: number) => `2026-0${1 + (i % 9)}-1${i % 10}`;
    for (let batch = 0; batch < 40; batch++)
      await repository.recordVisits(Array.from({ length: 500 }, (_, i) => visit(`v${batch}-${i}`, `crc-${i % 14}`, day(i))));
    const atTheBound = tallyWrites();
    expect(atTheBound).toBeGreaterThan(0);
    expect(atTheBound).toBeLessThanOrEqual(14 * 90);
    await repository.recordVisits([visit('late', 'crc-a', '2026-01-10')]);
    expect(tallyWrites()).toBe(atTheBound);
    expect(await repository.flushDeferred()).toBe(1);
  });
});
