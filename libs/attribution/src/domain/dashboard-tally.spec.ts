import { summariseDashboard } from './dashboard-summary';
import { dashboardFactsOf, DayTally, daySummaryOf, helpCaseTallyOf, tallyKey, tallyReadsFor, visitTallyOf, wifiSessionTallyOf } from './dashboard-tally';

const record = {
  _id: 'v1',
  centerId: 'crc-pomona',
  serviceDate: '2026-11-28',
  checkInSeen: true,
  checkedInAt: new Date('2026-11-28T17:10:00.000Z'),
  purposes: ['EXERCISE_CLASS' as const],
  memberId: 'LAC100001',
  attribution: { plan: 'LA_CARE' as const },
};

describe('dashboard tallies', () => {
  it('counts a visit only once its check-in has arrived', () => {
    expect(visitTallyOf({ ...record, checkInSeen: false })).toBeUndefined();
    expect(visitTallyOf(record)).toEqual({ plan: 'LA_CARE', purposes: ['EXERCISE_CLASS'], checkedInAt: record.checkedInAt.getTime(), checkedOut: false });
    expect(visitTallyOf({ ...record, attribution: undefined, checkedOutAt: new Date('2026-11-28T18:00:00.000Z') })).toMatchObject({
      plan: null,
      checkedOut: true,
    });
  });

  it('keeps ids usable as field names', () => {
    expect(tallyKey('a.b$c%d')).toBe('a%2Eb%24c%25d');
    expect(tallyKey('0c09a57b-fe7f-4858-906e-059a8ecc48c9')).toBe('0c09a57b-fe7f-4858-906e-059a8ecc48c9');
    // Distinct ids stay distinct.
    expect(tallyKey('a.b')).not.toBe(tallyKey('a%2Eb'));
  });

  it('reads whole months by month and the other days one by one, across a year end', () => {
    expect(tallyReadsFor('2026-12-01', '2026-12-01')).toEqual([{ serviceDate: '2026-12-01' }]);
    expect(tallyReadsFor('2026-11-29', '2027-03-02')).toEqual([
      { serviceDate: '2026-11-29' },
      { serviceDate: '2026-11-30' },
      { month: '2026-12' },
      { month: '2027-01' },
      { month: '2027-02' },
      { serviceDate: '2027-03-01' },
      { serviceDate: '2027-03-02' },
    ]);
    // A leap February, covered whole.
    expect(tallyReadsFor('2028-02-01', '2028-02-29')).toEqual([{ month: '2028-02' }]);
    expect(tallyReadsFor('2028-02-01', '2028-02-28')).toHaveLength(28);
  });

  it('gives the dashboard what the records would have', () => {
    const second = { ...record, _id: 'v2', checkedInAt: new Date('2026-11-28T18:10:00.000Z'), checkedOutAt: new Date('2026-11-28T19:00:00.000Z') };
    const anonymous = { ...record, _id: 'v3', memberId: undefined, attribution: { plan: 'COMMUNITY' as const }, purposes: ['OTHER' as const] };
    const tally: DayTally = {
      centerId: 'crc-pomona',
      serviceDate: '2026-11-28',
      visits: { v1: visitTallyOf(record)!, v2: visitTallyOf(second)!, v3: visitTallyOf(anonymous)! },
      visitors: { v1: 'key-of-LAC100001', v2: 'key-of-LAC100001' },
      helpCases: {
        c1: helpCaseTallyOf({ openedAt: new Date('2026-11-28T17:00:00.000Z'), closedAt: new Date('2026-11-28T17:18:00.000Z') }),
        c2: helpCaseTallyOf({}),
      },
      wifiSessions: {
        s1: wifiSessionTallyOf({ startedAt: new Date('2026-11-28T17:00:00.000Z'), endedAt: new Date('2026-11-28T17:30:00.000Z'), durationMinutes: 30 }),
      },
    };
    const summary = summariseDashboard({
      from: '2026-11-28',
      to: '2026-11-28',
      today: '2026-11-28',
      now: new Date('2026-11-28T20:00:00.000Z'),
      centers: [{ centerId: 'crc-pomona', name: 'Pomona' }],
      communityShares: { LA_CARE: 60, BLUE_SHIELD_PROMISE: 40 },
      days: [daySummaryOf(tally)],
    });
    expect(summary.network).toMatchObject({
      visits: 3,
      uniqueVisitors: 2,
      visitsPerPlan: { LA_CARE: 2, BLUE_SHIELD_PROMISE: 0, COMMUNITY: 1 },
      openVisitsNow: 2,
      wifi: { sessionsInProgress: 0, minutes: 30 },
      membershipHelp: { backlog: 1, medianResolutionMinutes: 18 },
    });
    expect(summary.network.visitsPerHour.filter((h) => h.count > 0)).toEqual([
      { hour: 9, count: 2 },
      { hour: 10, count: 1 },
    ]);
  });

  it('counts each visit as its own visitor once retention erased the pseudonyms', () => {
    const tally: DayTally = {
      centerId: 'crc-pomona',
      serviceDate: '2026-11-28',
      visits: { v1: visitTallyOf(record)!, v2: visitTallyOf({ ...record, _id: 'v2' })! },
      visitors: undefined as never,
      helpCases: {},
      wifiSessions: {},
    };
    expect(dashboardFactsOf([tally]).visits.map((v) => v.memberId)).toEqual([undefined, undefined]);
  });
});
