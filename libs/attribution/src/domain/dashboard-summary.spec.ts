import { DashboardHelpCase, DashboardInput, DashboardVisit, DashboardWifiSession, summariseDashboard, summariseDay } from './dashboard-summary';

interface Facts {
  visits: DashboardVisit[];
  helpCases: Array<DashboardHelpCase & { centerId: string }>;
  wifiSessions: Array<DashboardWifiSession & { centerId: string }>;
}

/** Day summaries of the facts, per center (the help cases and sessions on the first visit's date). */
const daysOf = (facts: Facts) =>
  [...new Set(facts.visits.map((v) => `${v.centerId}|${v.serviceDate}`))].map((key) => {
    const [centerId, serviceDate] = key.split('|');
    return summariseDay({
      centerId,
      serviceDate,
      visits: facts.visits.filter((v) => v.centerId === centerId && v.serviceDate === serviceDate),
      helpCases: facts.helpCases.filter((c) => c.centerId === centerId),
      wifiSessions: facts.wifiSessions.filter((w) => w.centerId === centerId),
    });
  });

const VISITS: DashboardVisit[] = [
  {
    centerId: 'crc-pomona',
    serviceDate: '2026-11-28',
    plan: 'LA_CARE',
    purposes: ['EXERCISE_CLASS'],
    memberId: 'LAC100001',
    checkedInAt: new Date('2026-11-28T17:10:00.000Z'),
    checkedOut: false,
  },
  {
    centerId: 'crc-pomona',
    serviceDate: '2026-11-28',
    plan: 'LA_CARE',
    purposes: ['EXERCISE_CLASS'],
    memberId: 'LAC100001',
    checkedInAt: new Date('2026-11-28T18:10:00.000Z'),
    checkedOut: true,
  },
  {
    centerId: 'crc-pomona',
    serviceDate: '2026-11-28',
    plan: 'COMMUNITY',
    purposes: ['OTHER'],
    checkedInAt: new Date('2026-11-28T18:20:00.000Z'),
    checkedOut: false,
  },
  {
    centerId: 'crc-lancaster',
    serviceDate: '2026-11-28',
    plan: 'BLUE_SHIELD_PROMISE',
    purposes: ['HEALTH_SCREENING'],
    memberId: 'BSP200002',
    checkedOut: false,
  },
];
const HELP_CASES: Facts['helpCases'] = [
  { centerId: 'crc-pomona', openedAt: new Date('2026-11-28T17:00:00.000Z'), closedAt: new Date('2026-11-28T17:18:00.000Z') },
  { centerId: 'crc-pomona' },
];
const WIFI: Facts['wifiSessions'] = [
  { centerId: 'crc-pomona', startedAt: new Date('2026-11-28T17:00:00.000Z'), endedAt: new Date('2026-11-28T17:30:00.000Z'), durationMinutes: 30 },
];

const facts = (overrides: Partial<Facts> = {}): Facts => ({
  visits: VISITS,
  helpCases: HELP_CASES,
  wifiSessions: WIFI,
  ...overrides,
});

const input = (overrides: Partial<Facts> = {}): DashboardInput => ({
  from: '2026-11-28',
  to: '2026-11-28',
  today: '2026-11-28',
  now: new Date('2026-11-28T20:00:00.000Z'),
  centers: [
    { centerId: 'crc-pomona', name: 'Pomona' },
    { centerId: 'crc-lancaster', name: 'Lancaster' },
  ],
  communityShares: { LA_CARE: 60, BLUE_SHIELD_PROMISE: 40 },
  days: daysOf(facts(overrides)),
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
    expect(summariseDashboard(input({ helpCases: [{ centerId: 'crc-pomona' }] })).network.membershipHelp).toEqual({
      backlog: 1,
      medianResolutionMinutes: null,
    });
  });

  it('tells one visitor apart across days and centers, and counts a day whose pseudonyms were erased as it was counted', () => {
    const later = {
      centerId: 'crc-lancaster',
      serviceDate: '2026-11-29',
      plan: 'LA_CARE' as const,
      purposes: ['OTHER' as const],
      memberId: 'LAC100001',
      checkedInAt: new Date('2026-11-29T17:00:00.000Z'),
      checkedOut: true,
    };
    const days = daysOf(facts({ visits: [...VISITS, later] }));
    const range = { ...input(), to: '2026-11-29', days };
    // LAC100001 on both days and at both centers, BSP200002, one anonymous visit.
    expect(summariseDashboard(range).network).toMatchObject({ visits: 5, uniqueVisitors: 3, openVisitsNow: 3 });
    const erased = days.map((d) => (d.serviceDate === '2026-11-28' && d.centerId === 'crc-pomona' ? { ...d, visitorKeys: undefined } : d));
    // Pomona's day counts its 2 visitors on its own: LAC100001 is then counted there and again on the 29th.
    expect(summariseDashboard({ ...range, days: erased }).network.uniqueVisitors).toBe(4);
  });

  it('counts Wi-Fi minutes of sessions in progress up to now', () => {
    const summary = summariseDashboard(input({ wifiSessions: [...WIFI, { centerId: 'crc-pomona', startedAt: new Date('2026-11-28T19:45:00.000Z') }] }));
    expect(summary.network.wifi).toEqual({ sessionsInProgress: 1, minutes: 45 });
  });
});
