import { summariseDashboard, DashboardInput } from './dashboard-summary';

const input = (overrides: Partial<DashboardInput> = {}): DashboardInput => ({
  from: '2026-11-28',
  to: '2026-11-28',
  today: '2026-11-28',
  now: new Date('2026-11-28T20:00:00.000Z'),
  centers: [
    { centerId: 'crc-pomona', name: 'Pomona' },
    { centerId: 'crc-lancaster', name: 'Lancaster' },
  ],
  visits: [
    { centerId: 'crc-pomona', serviceDate: '2026-11-28', plan: 'LA_CARE', purposes: ['EXERCISE_CLASS'], memberId: 'LAC100001', checkedInAt: new Date('2026-11-28T17:10:00.000Z'), checkedOut: false },
    { centerId: 'crc-pomona', serviceDate: '2026-11-28', plan: 'LA_CARE', purposes: ['EXERCISE_CLASS'], memberId: 'LAC100001', checkedInAt: new Date('2026-11-28T18:10:00.000Z'), checkedOut: true },
    { centerId: 'crc-pomona', serviceDate: '2026-11-28', plan: 'COMMUNITY', purposes: ['OTHER'], checkedInAt: new Date('2026-11-28T18:20:00.000Z'), checkedOut: false },
    { centerId: 'crc-lancaster', serviceDate: '2026-11-28', plan: 'BLUE_SHIELD_PROMISE', purposes: ['HEALTH_SCREENING'], memberId: 'BSP200002', checkedOut: false },
  ],
  helpCases: [{ centerId: 'crc-pomona', openedAt: new Date('2026-11-28T17:00:00.000Z'), closedAt: new Date('2026-11-28T17:18:00.000Z') }, { centerId: 'crc-pomona' }],
  wifiSessions: [{ centerId: 'crc-pomona', startedAt: new Date('2026-11-28T17:00:00.000Z'), endedAt: new Date('2026-11-28T17:30:00.000Z'), durationMinutes: 30 }],
  communityShares: { LA_CARE: 60, BLUE_SHIELD_PROMISE: 40 },
  ...overrides,
});

describe('summariseDashboard (operations: exact counts, no identities)', () => {
  it('shows small counts exactly, network-wide and per center', () => {
    const summary = summariseDashboard(input());
    expect(summary.network).toMatchObject({
      visits: 4,
      uniqueVisitors: 3,
      visitsPerPlan: { LA_CARE: 2, BLUE_SHIELD_PROMISE: 1, COMMUNITY: 1 },
      openVisitsNow: 3,
      wifi: { sessionsInProgress: 0, minutes: 30 },
      membershipHelp: { backlog: 1, medianResolutionMinutes: 18 },
      sharedCost: { communityVisits: 1, LA_CARE: 0.6, BLUE_SHIELD_PROMISE: 0.4 },
    });
    expect(summary.network.visitsPerService).toMatchObject({ EXERCISE_CLASS: 2, HEALTH_SCREENING: 1, OTHER: 1, NUTRITION_CLASS: 0 });
    expect(summary.network.visitsPerHour.find((h) => h.hour === 10)).toEqual({ hour: 10, count: 2 });
    expect(summary.centers.map((c) => [c.centerId, c.visits])).toEqual([
      ['crc-pomona', 3],
      ['crc-lancaster', 1],
    ]);
  });

  it('never carries a member identifier', () => {
    const text = JSON.stringify(summariseDashboard(input()));
    expect(text).not.toContain('LAC100001');
    expect(text).not.toContain('BSP200002');
  });

  it('has no median while no help case is resolved', () => {
    expect(summariseDashboard(input({ helpCases: [{ centerId: 'crc-pomona' }] })).network.membershipHelp).toEqual({ backlog: 1, medianResolutionMinutes: null });
  });
});
