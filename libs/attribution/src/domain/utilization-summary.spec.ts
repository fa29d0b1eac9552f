import { summarise, SummarisedVisit } from './utilization-summary';

const many = (n: number, visit: SummarisedVisit) => Array.from({ length: n }, () => visit);

describe('summarise', () => {
  const visits: SummarisedVisit[] = [
    ...many(12, { centerId: 'crc-el-monte', plan: 'LA_CARE', productLine: 'MEDI_CAL', purposes: ['EXERCISE_CLASS'] }),
    ...many(3, { centerId: 'crc-el-monte', plan: 'LA_CARE', productLine: 'MEDI_CAL', purposes: ['HEALTH_SCREENING', 'EXERCISE_CLASS'] }),
    ...many(2, { centerId: 'crc-pomona', plan: 'LA_CARE', purposes: ['OTHER'] }),
    ...many(40, { centerId: 'crc-pomona', plan: 'BLUE_SHIELD_PROMISE', productLine: 'MEDICARE', purposes: ['OTHER'] }),
    ...many(25, { centerId: 'crc-el-monte', plan: 'COMMUNITY', purposes: ['TELEHEALTH_WIFI'] }),
    ...many(4, { centerId: 'crc-pomona', plan: 'COMMUNITY', purposes: ['OTHER'] }),
  ];

  it("counts the plan's visits per center, product line and service, suppressing counts from 1 to 10", () => {
    const summary = summarise('LA_CARE', '2026-11', visits, 50);
    expect(summary.rows).toEqual([
      { centerId: 'crc-el-monte', productLine: 'MEDI_CAL', service: 'EXERCISE_CLASS', visits: 15, suppressed: false },
      { centerId: 'crc-el-monte', productLine: 'MEDI_CAL', service: 'HEALTH_SCREENING', visits: null, suppressed: true },
      { centerId: 'crc-pomona', productLine: 'UNVERIFIED', service: 'OTHER', visits: null, suppressed: true },
    ]);
    expect(summary.totalVisits).toBe(17);
  });

  it("never shows the other plan's visits, and splits community visits by the plan's share", () => {
    const summary = summarise('LA_CARE', '2026-11', visits, 60);
    expect(summary.rows.some((r) => r.productLine === 'MEDICARE')).toBe(false);
    expect(summary.community).toEqual([
      { centerId: 'crc-el-monte', visits: 25, suppressed: false, planShare: 15 },
      { centerId: 'crc-pomona', visits: null, suppressed: true, planShare: null },
    ]);
  });

  it('suppresses a small total too, and publishes zero as zero', () => {
    expect(summarise('BLUE_SHIELD_PROMISE', '2026-11', visits.slice(0, 3), 50).totalVisits).toBe(0);
    expect(summarise('LA_CARE', '2026-11', visits.slice(0, 5), 50).totalVisits).toBeNull();
  });
});
