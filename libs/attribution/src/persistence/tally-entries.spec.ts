import { daySummaryOf, VisitTally } from '../domain/dashboard-tally';
import {
  dayTallyOf,
  decodeHelpCaseTally,
  decodeVisitorKeys,
  decodeVisitTally,
  decodeWifiSessionTally,
  encodeHelpCaseTally,
  encodeVisitorKeys,
  encodeVisitTally,
  encodeWifiSessionTally,
  UnreadableTallyEntryError,
} from './tally-entries';

describe('tally entries as stored', () => {
  const checkedInAt = Date.parse('2026-03-01T17:05:00Z');

  it.each<VisitTally>([
    { plan: 'LA_CARE', purposes: ['MEMBERSHIP_HELP', 'TELEHEALTH_WIFI'], checkedInAt, checkedOut: true },
    { plan: 'COMMUNITY', purposes: [], checkedInAt, checkedOut: false },
    { plan: null, purposes: ['OTHER'], checkedInAt, checkedOut: false },
  ])('reads a visit back as it was written: %j', (tally) => {
    const stored = encodeVisitTally(tally);
    expect(typeof stored).toBe('string');
    expect(decodeVisitTally(stored)).toEqual(tally);
  });

  it('reads help cases and Wi-Fi sessions back, unknown instants and minutes included', () => {
    for (const tally of [
      { openedAt: checkedInAt, closedAt: checkedInAt + 600_000 },
      { openedAt: checkedInAt, closedAt: null },
      { openedAt: null, closedAt: null },
    ])
      expect(decodeHelpCaseTally(encodeHelpCaseTally(tally))).toEqual(tally);
    for (const tally of [
      { startedAt: checkedInAt, endedAt: checkedInAt + 2_700_000, durationMinutes: 45 },
      { startedAt: checkedInAt, endedAt: null, durationMinutes: null },
      { startedAt: null, endedAt: checkedInAt, durationMinutes: 12.5 },
    ])
      expect(decodeWifiSessionTally(encodeWifiSessionTally(tally))).toEqual(tally);
  });

  it.each(['LA_CARE|MEMBERSHIP_HELP|x|in', 'SOMEONE|OTHER|1|in', 'LA_CARE|SWIMMING|1|in', 'LA_CARE|OTHER|1|maybe', 'LA_CARE|OTHER|1', 'LA_CARE|OTHER||in'])(
    'refuses a visit entry it cannot read: %s',
    (entry) => {
      expect(() => decodeVisitTally(entry)).toThrow(UnreadableTallyEntryError);
    },
  );

  it('reads visitor keys back from one string, from an array written before, and tells none from erased', () => {
    const keys = ['0a1b2c3d4e5f6071', '8899aabbccddeeff'];
    expect(encodeVisitorKeys(keys)).toBe('0a1b2c3d4e5f6071 8899aabbccddeeff');
    expect(decodeVisitorKeys(encodeVisitorKeys(keys))).toEqual(keys);
    expect(decodeVisitorKeys(keys)).toEqual(keys);
    expect(decodeVisitorKeys(encodeVisitorKeys([]))).toEqual([]);
    expect(decodeVisitorKeys(undefined)).toBeUndefined();
  });

  it('summarises a tally holding entries written as objects (before) beside string entries (now) as if all were one kind', () => {
    const visits: Record<string, VisitTally> = {
      a: { plan: 'LA_CARE', purposes: ['MEMBERSHIP_HELP'], checkedInAt, checkedOut: false },
      b: { plan: 'BLUE_SHIELD_PROMISE', purposes: ['OTHER'], checkedInAt: checkedInAt + 3_600_000, checkedOut: true },
      c: { plan: 'COMMUNITY', purposes: [], checkedInAt, checkedOut: true },
    };
    const helpCases = { h1: { openedAt: checkedInAt, closedAt: checkedInAt + 1_200_000 }, h2: { openedAt: checkedInAt, closedAt: null } };
    const wifiSessions = { w1: { startedAt: checkedInAt, endedAt: null, durationMinutes: null } };
    const place = { centerId: 'crc-a', serviceDate: '2026-03-01', visitors: { a: 'key-1', b: 'key-2' } };

    const allObjects = dayTallyOf({ ...place, visits, helpCases, wifiSessions });
    const mixed = dayTallyOf({
      ...place,
      visits: { a: visits.a, b: encodeVisitTally(visits.b), c: encodeVisitTally(visits.c) },
      helpCases: { h1: encodeHelpCaseTally(helpCases.h1), h2: helpCases.h2 },
      wifiSessions: { w1: encodeWifiSessionTally(wifiSessions.w1) },
    });
    expect(mixed).toEqual(allObjects);
    const summary = daySummaryOf(mixed);
    expect(summary).toEqual(daySummaryOf(allObjects));
    expect(summary.visitsPerPlan).toEqual({ LA_CARE: 1, BLUE_SHIELD_PROMISE: 1, COMMUNITY: 1 });
    expect(summary.openVisits).toBe(1);
    expect(summary.helpBacklog).toBe(1);
    expect(summary.resolutionMinutes).toEqual([20]);
    expect(summary.wifiInProgressSince).toEqual([checkedInAt]);
  });
});
