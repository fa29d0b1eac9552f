import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { FhirPseudonyms } from '../libs/attribution/src/domain/fhir-mapping';
import { DashboardTallyRepository } from '../libs/attribution/src/persistence/dashboard-tally.repository';
import { DashboardDaySummarySchema, DashboardTallySchema } from '../libs/attribution/src/persistence/dashboard-tally.schema';
import { detectStore } from '../libs/platform/src/store/store-profile';

/**
 * The dashboard's tallies and day summaries on the real store: concurrent changes of one center's
 * day all count, a change applied again counts once, and the summary follows its tally.
 */
describe('dashboard tallies and day summaries', () => {
  let connection: mongoose.Connection;
  let tallies: DashboardTallyRepository;

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `crc_dashboard_tallies_${Date.now()}` }).asPromise();
    const tallyModel = connection.model('DashboardTallyDocument', DashboardTallySchema);
    const summaryModel = connection.model('DashboardDaySummaryDocument', DashboardDaySummarySchema);
    await Promise.all([tallyModel.init(), summaryModel.init()]);
    tallies = new DashboardTallyRepository(
      tallyModel as never,
      summaryModel as never,
      new FhirPseudonyms('a-key-of-this-test-only-0123456789abcdef'),
      await detectStore(process.env.MONGODB_URI!, { timeoutMs: 5_000 }),
    );
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  const visit = (memberId?: string) => ({
    _id: randomUUID(),
    centerId: 'crc-pomona',
    serviceDate: '2026-11-28',
    checkInSeen: true,
    checkedInAt: new Date('2026-11-28T17:10:00.000Z'),
    purposes: ['EXERCISE_CLASS' as const],
    memberId,
    attribution: { plan: memberId ? ('LA_CARE' as const) : ('COMMUNITY' as const) },
  });

  it('counts every one of concurrent changes to one day once, and follows later changes', async () => {
    const visits = Array.from({ length: 40 }, (_, i) => visit(i % 4 === 0 ? undefined : `LAC1000${i % 8}`));
    // One writer per visit, all at once: on FerretDB an unserialised update of the one tally would lose some.
    await Promise.all(visits.map((v) => tallies.recordVisits([v])));
    await tallies.recordVisits(visits.slice(0, 10)); // applied again
    let [day] = await tallies.summariesBetween('2026-11-28', '2026-11-28');
    expect(day).toMatchObject({
      centerId: 'crc-pomona',
      visits: 40,
      openVisits: 40,
      anonymousVisits: 10,
      visitsPerPlan: { LA_CARE: 30, COMMUNITY: 10, BLUE_SHIELD_PROMISE: 0 },
    });
    // Six distinct members (LAC10001-3 and LAC10005-7): one pseudonym each.
    expect(day.visitorKeys).toHaveLength(new Set(visits.flatMap((v) => (v.memberId ? [v.memberId] : []))).size);
    expect(JSON.stringify(day)).not.toContain('LAC1000');

    await tallies.recordVisits([{ ...visits[1], checkedOutAt: new Date('2026-11-28T18:00:00.000Z'), attribution: { plan: 'BLUE_SHIELD_PROMISE' } }]);
    [day] = await tallies.summariesBetween('2026-11-28', '2026-11-28');
    expect(day).toMatchObject({ visits: 40, openVisits: 39, visitsPerPlan: { LA_CARE: 29, BLUE_SHIELD_PROMISE: 1, COMMUNITY: 10 } });
    expect(await tallies.summariesBetween('2026-11-29', '2026-12-31')).toEqual([]);
  });

  it('keeps counting a tally whose entries were stored as objects, before entries became strings', async () => {
    // As a tally written by the version before: each visit's entry a document.
    const before = { plan: 'LA_CARE', purposes: ['EXERCISE_CLASS'], checkedInAt: Date.parse('2026-11-27T17:00:00.000Z'), checkedOut: false };
    await connection.collection('dashboard_tallies').insertOne({
      _id: '2026-11-27|crc-pomona' as never,
      centerId: 'crc-pomona',
      serviceDate: '2026-11-27',
      month: '2026-11',
      visits: { old1: before, old2: { ...before, checkedOut: true } },
      visitors: { old1: 'earlier-key-1' },
      helpCases: {},
      wifiSessions: {},
      version: 3,
    });
    const today = { ...visit('LAC20001'), serviceDate: '2026-11-27', checkedInAt: new Date('2026-11-27T18:00:00.000Z') };
    await tallies.recordVisits([today]);

    const stored = await connection.collection('dashboard_tallies').findOne({ _id: '2026-11-27|crc-pomona' as never });
    expect(stored?.visits.old1).toEqual(before);
    expect(typeof stored?.visits[today._id]).toBe('string');
    const [day] = await tallies.summariesBetween('2026-11-27', '2026-11-27');
    expect(day).toMatchObject({ visits: 3, openVisits: 2, visitsPerPlan: { LA_CARE: 3, COMMUNITY: 0, BLUE_SHIELD_PROMISE: 0 } });
    expect(day.visitorKeys).toHaveLength(2);
    const summary = await connection.collection('dashboard_day_summaries').findOne({ _id: '2026-11-27|crc-pomona' as never });
    expect(typeof summary?.visitorKeys).toBe('string');

    // A day summary written before, its pseudonyms an array: read as they were.
    await connection.collection('dashboard_day_summaries').insertOne({
      _id: '2026-11-26|crc-pomona' as never,
      serviceDate: '2026-11-26',
      month: '2026-11',
      version: 1,
      summary: { ...day, serviceDate: '2026-11-26', visitorKeys: undefined },
      visitorKeys: ['earlier-key-1', 'earlier-key-2', 'earlier-key-3'],
    });
    const [earlier] = await tallies.summariesBetween('2026-11-26', '2026-11-26');
    expect(earlier.visitorKeys).toEqual(['earlier-key-1', 'earlier-key-2', 'earlier-key-3']);
  });
});
