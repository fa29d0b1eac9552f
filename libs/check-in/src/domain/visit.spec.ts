import { assertPlausibleTime, checkIn, checkOut } from './visit';

const facts = {
  visitId: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10',
  centerId: 'crc-el-monte',
  occurredAt: new Date('2026-11-28T07:30:00Z'),
  recordedAt: new Date('2026-11-28T09:00:00Z'),
  purposes: ['EXERCISE_CLASS', 'EXERCISE_CLASS', 'OTHER'] as const,
};

describe('checkIn', () => {
  it('normalises the member id, recognises a CIN and dates the visit in Los Angeles by when it happened', () => {
    const { visit, event } = checkIn({ ...facts, purposes: [...facts.purposes], visitor: { memberId: ' 12345678a ', selfReportedPlan: 'LA_CARE' } });
    expect(visit.visitor).toEqual({ memberId: '12345678A', memberIdType: 'MEDI_CAL_CIN', selfReportedPlan: 'LA_CARE' });
    // 07:30 UTC on Nov 28 is 23:30 on Nov 27 in Los Angeles; the server recorded it later.
    expect(visit.serviceDate).toBe('2026-11-27');
    expect(event).toMatchObject({ occurredAt: '2026-11-28T07:30:00.000Z', recordedAt: '2026-11-28T09:00:00.000Z', serviceDate: '2026-11-27' });
    expect(visit.purposes).toEqual(['EXERCISE_CLASS', 'OTHER']);
  });

  it('treats a plan member id as such and an absent visitor as an anonymous community visitor', () => {
    expect(checkIn({ ...facts, purposes: ['OTHER'], visitor: { memberId: 'lac-100001' } }).visit.visitor).toEqual({
      memberId: 'LAC-100001',
      memberIdType: 'PLAN_MEMBER_ID',
      selfReportedPlan: 'NONE',
    });
    expect(checkIn({ ...facts, purposes: ['OTHER'] }).visit.visitor).toEqual({ selfReportedPlan: 'NONE' });
  });

  it('refuses a member id that is not one after normalisation', () => {
    expect(() => checkIn({ ...facts, purposes: ['OTHER'], visitor: { memberId: 'a b' } })).toThrow(
      expect.objectContaining({ code: 'VISIT.INVALID_MEMBER_ID' }),
    );
  });
});

describe('checkOut', () => {
  const { visit } = checkIn({ ...facts, purposes: ['OTHER'] });

  it('closes an open visit and keeps its service date', () => {
    const result = checkOut(visit, new Date('2026-11-28T08:30:00Z'), new Date('2026-11-28T09:00:00Z'));
    expect(result.visit).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: new Date('2026-11-28T08:30:00Z') });
    expect(result.event).toMatchObject({ serviceDate: '2026-11-27', checkedInAt: '2026-11-28T07:30:00.000Z', occurredAt: '2026-11-28T08:30:00.000Z' });
  });

  it('refuses a second check-out and one before the check-in', () => {
    const closed = checkOut(visit, new Date('2026-11-28T08:30:00Z'), new Date()).visit;
    expect(() => checkOut(closed, new Date('2026-11-28T08:40:00Z'), new Date())).toThrow(expect.objectContaining({ code: 'VISIT.ALREADY_CHECKED_OUT' }));
    expect(() => checkOut(visit, new Date('2026-11-28T07:29:59Z'), new Date())).toThrow(expect.objectContaining({ code: 'VISIT.CHECK_OUT_BEFORE_CHECK_IN' }));
  });
});

describe('assertPlausibleTime', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const policy = { clockSkewSeconds: 300, lookbackDays: 90 };

  it.each([
    ['now', '2026-11-28T12:00:00Z', undefined],
    ['within the skew allowance', '2026-11-28T12:04:59Z', undefined],
    ['beyond the skew allowance', '2026-11-28T12:05:01Z', 'VISIT.OCCURRED_IN_FUTURE'],
    ['an hour ago (a kiosk back from an outage)', '2026-11-28T11:00:00Z', undefined],
    ['just inside the look-back window', '2026-08-30T12:00:01Z', undefined],
    ['outside the look-back window', '2026-08-30T11:59:59Z', 'VISIT.TOO_OLD'],
  ])('%s', (_name, occurredAt, code) => {
    const run = () => assertPlausibleTime(new Date(occurredAt), now, policy);
    if (code) expect(run).toThrow(expect.objectContaining({ code }));
    else expect(run).not.toThrow();
  });
});
