import { VisitCheckedInV1 } from '@crc/contracts';
import { oldestServiceDateKept, placeVisit, VisitNotAtThisCenterError, visitsToKnow } from './visit-center';

const checkIn = (visitId: string, centerId: string, serviceDate: string): VisitCheckedInV1 => ({
  visitId,
  centerId,
  serviceDate,
  occurredAt: `${serviceDate}T17:00:00.000Z`,
  recordedAt: `${serviceDate}T17:00:01.000Z`,
  visitor: { memberId: 'LAC100001', memberIdType: 'PLAN_MEMBER_ID', selfReportedPlan: 'NONE' },
  purposes: ['MEMBERSHIP_HELP'],
});

describe('placeVisit', () => {
  const known = { visitId: 'v1', centerId: 'crc-el-monte', serviceDate: '2026-11-28' };

  it('places a known visit at the asking center or elsewhere', () => {
    expect(placeVisit(known, 'crc-el-monte')).toBe('THIS_CENTER');
    expect(placeVisit(known, 'crc-pomona')).toBe('OTHER_CENTER');
  });

  it('leaves an unknown visit unknown (maybe early), never refused on that ground', () => {
    expect(placeVisit(undefined, 'crc-el-monte')).toBe('UNKNOWN');
  });
});

describe('VisitNotAtThisCenterError', () => {
  it('has a stable code, is unprocessable, and names no other center', () => {
    const error = new VisitNotAtThisCenterError();
    expect(error.code).toBe('VISIT.NOT_AT_THIS_CENTER');
    expect(error.kind).toBe('UNPROCESSABLE');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toMatch(/crc-/);
  });
});

describe('visitsToKnow', () => {
  const now = new Date('2026-11-28T20:00:00.000Z'); // 12:00 in Los Angeles

  it('keeps the center and service date of each check-in, and nothing of the visitor', () => {
    const known = visitsToKnow([checkIn('v1', 'crc-el-monte', '2026-11-28')], 14, now);
    expect(known).toEqual([{ visitId: 'v1', centerId: 'crc-el-monte', serviceDate: '2026-11-28' }]);
    expect(JSON.stringify(known)).not.toContain('LAC100001');
  });

  it('leaves out check-ins older than the retention window', () => {
    expect(oldestServiceDateKept(14, now)).toBe('2026-11-14');
    const known = visitsToKnow([checkIn('old', 'crc-el-monte', '2026-11-13'), checkIn('edge', 'crc-el-monte', '2026-11-14')], 14, now);
    expect(known.map((k) => k.visitId)).toEqual(['edge']);
  });
});
