import type { Coverage } from '@crc/eligibility';
import { serviceDateOf, startOfServiceDate } from '@crc/contracts';
import { DEFAULT_ATTRIBUTION_POLICY, parseCommunityShares, parsePlanPartnerPlans } from './attribution-policy';
import { attributeVisit, sameAttribution, VisitForAttribution } from './attribution-rules';

const laCare = (over: Partial<Coverage> = {}): Coverage => ({
  rosterPlan: 'LA_CARE',
  memberId: 'LAC0001',
  cin: '12345678A',
  productLine: 'MEDI_CAL',
  coverageStart: '2026-01-01',
  ...over,
});
const blueShield = (over: Partial<Coverage> = {}): Coverage => ({
  rosterPlan: 'BLUE_SHIELD_PROMISE',
  memberId: 'BSP0001',
  cin: '12345678A',
  productLine: 'MEDI_CAL',
  coverageStart: '2026-01-01',
  ...over,
});
const visit = (over: Partial<VisitForAttribution> = {}): VisitForAttribution => ({
  serviceDate: '2026-11-28',
  memberId: '12345678A',
  selfReportedPlan: 'NONE',
  ...over,
});

describe('attributeVisit (rules version 1)', () => {
  const cases: Array<{
    name: string;
    visit: VisitForAttribution;
    coverages: Coverage[];
    expected: Partial<ReturnType<typeof attributeVisit>>;
  }> = [
    {
      name: 'rule 1: coverage in L.A. Care only, matched by CIN',
      visit: visit(),
      coverages: [laCare()],
      expected: { plan: 'LA_CARE', basis: 'ELIGIBILITY', rule: 1, productLine: 'MEDI_CAL', flags: [] },
    },
    {
      name: "rule 1: matched by the plan's own member id",
      visit: visit({ memberId: 'BSP0001' }),
      coverages: [blueShield({ productLine: 'MEDICARE' })],
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', rule: 1, productLine: 'MEDICARE' },
    },
    {
      name: 'rule 1: coverage starting on the service date counts',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2026-11-28' })],
      expected: { plan: 'LA_CARE', rule: 1 },
    },
    {
      name: 'rule 1: coverage ending on the service date counts (inclusive end)',
      visit: visit(),
      coverages: [laCare({ coverageEnd: '2026-11-28' })],
      expected: { plan: 'LA_CARE', rule: 1 },
    },
    {
      name: 'coverage that ended the day before does not count',
      visit: visit({ selfReportedPlan: 'NONE' }),
      coverages: [laCare({ coverageEnd: '2026-11-27' })],
      expected: { plan: 'COMMUNITY', basis: 'NONE', rule: 4 },
    },
    {
      name: 'coverage starting the day after does not count; the named plan is then self-reported',
      visit: visit({ selfReportedPlan: 'LA_CARE' }),
      coverages: [laCare({ coverageStart: '2026-11-29' })],
      expected: { plan: 'LA_CARE', basis: 'SELF_REPORTED', rule: 3 },
    },
    {
      name: 'rule 1 through the plan-partner mapping: L.A. Care member served by Blue Shield Promise',
      visit: visit(),
      coverages: [laCare({ planPartner: 'BLUE_SHIELD_PROMISE' })],
      expected: {
        plan: 'BLUE_SHIELD_PROMISE',
        basis: 'ELIGIBILITY',
        rule: 1,
        rosterPlan: 'LA_CARE',
        planPartner: 'BLUE_SHIELD_PROMISE',
        flags: [],
      },
    },
    {
      name: 'rule 1: an Anthem plan-partner member stays with L.A. Care, both recorded',
      visit: visit(),
      coverages: [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' })],
      expected: { plan: 'LA_CARE', rule: 1, rosterPlan: 'LA_CARE', planPartner: 'ANTHEM_BLUE_CROSS' },
    },
    {
      name: 'rule 1, not dual: the same delegated member in both rosters maps to one plan; the own roster wins',
      visit: visit(),
      coverages: [laCare({ planPartner: 'BLUE_SHIELD_PROMISE' }), blueShield()],
      expected: { plan: 'BLUE_SHIELD_PROMISE', rule: 1, rosterPlan: 'BLUE_SHIELD_PROMISE', flags: [] },
    },
    {
      name: 'rule 2: both plans, the latest coverageStart wins (Blue Shield Promise)',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2025-06-01' }), blueShield({ coverageStart: '2026-03-01', productLine: 'MEDICARE' })],
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', rule: 2, productLine: 'MEDICARE', flags: ['DUAL_COVERAGE'] },
    },
    {
      name: 'rule 2: both plans, the latest coverageStart wins (L.A. Care)',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2026-10-01', productLine: 'LA_CARE_COVERED' }), blueShield({ coverageStart: '2026-03-01' })],
      expected: { plan: 'LA_CARE', rule: 2, productLine: 'LA_CARE_COVERED', flags: ['DUAL_COVERAGE'] },
    },
    {
      name: 'rule 2: equal starts go to the plan the visitor named',
      visit: visit({ selfReportedPlan: 'BLUE_SHIELD_PROMISE' }),
      coverages: [laCare(), blueShield()],
      expected: { plan: 'BLUE_SHIELD_PROMISE', rule: 2, flags: ['DUAL_COVERAGE'] },
    },
    {
      name: 'rule 2: equal starts and no named plan go to L.A. Care',
      visit: visit(),
      coverages: [blueShield(), laCare()],
      expected: { plan: 'LA_CARE', rule: 2, flags: ['DUAL_COVERAGE'] },
    },
    {
      name: 'rule 2 only among coverage effective that day: an expired second plan is not dual',
      visit: visit(),
      coverages: [laCare(), blueShield({ coverageStart: '2026-05-01', coverageEnd: '2026-06-30' })],
      expected: { plan: 'LA_CARE', rule: 1, flags: [] },
    },
    {
      name: 'rule 3: no roster match, member id and named plan',
      visit: visit({ memberId: 'UNKNOWN1', selfReportedPlan: 'BLUE_SHIELD_PROMISE' }),
      coverages: [],
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'SELF_REPORTED', rule: 3, flags: [] },
    },
    {
      name: 'rule 4: a named plan without a member id is community',
      visit: visit({ memberId: undefined, selfReportedPlan: 'LA_CARE' }),
      coverages: [laCare()],
      expected: { plan: 'COMMUNITY', basis: 'NONE', rule: 4 },
    },
    {
      name: 'rule 4: a member id that matches nothing and no named plan',
      visit: visit({ memberId: 'NOBODY1' }),
      coverages: [laCare()],
      expected: { plan: 'COMMUNITY', basis: 'NONE', rule: 4 },
    },
    {
      name: 'another member in the lookup result is ignored',
      visit: visit({ memberId: 'LAC0002' }),
      coverages: [laCare()],
      expected: { plan: 'COMMUNITY', rule: 4 },
    },
    {
      name: 'several spans in one plan: the latest start gives the product line',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2024-01-01', productLine: 'MEDI_CAL' }), laCare({ coverageStart: '2026-07-01', productLine: 'MEDICARE_PLUS' })],
      expected: { plan: 'LA_CARE', rule: 1, productLine: 'MEDICARE_PLUS', flags: [] },
    },
  ];

  it.each(cases)('$name', ({ visit: v, coverages, expected }) => {
    const result = attributeVisit(v, coverages, DEFAULT_ATTRIBUTION_POLICY);
    expect(result).toMatchObject({ ...expected, ruleVersion: 1 });
    if (result.basis !== 'ELIGIBILITY') expect(result.productLine).toBeUndefined();
  });

  it('gives the same answer whatever order the coverages are stored in', () => {
    const coverages = [laCare({ coverageStart: '2026-02-01' }), blueShield({ coverageStart: '2026-02-01' }), laCare({ productLine: 'PASC_SEIU' })];
    const forward = attributeVisit(visit(), coverages, DEFAULT_ATTRIBUTION_POLICY);
    const backward = attributeVisit(visit(), [...coverages].reverse(), DEFAULT_ATTRIBUTION_POLICY);
    expect(backward).toEqual(forward);
  });

  it('follows a configured mapping that sends another plan partner to Blue Shield Promise', () => {
    const policy = { ...DEFAULT_ATTRIBUTION_POLICY, planPartnerPlans: parsePlanPartnerPlans('BLUE_SHIELD_PROMISE=BLUE_SHIELD_PROMISE,ANTHEM_BLUE_CROSS=BLUE_SHIELD_PROMISE') };
    expect(attributeVisit(visit(), [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' })], policy).plan).toBe('BLUE_SHIELD_PROMISE');
  });

  it('tells a changed attribution from an unchanged one', () => {
    const a = attributeVisit(visit(), [laCare()], DEFAULT_ATTRIBUTION_POLICY);
    expect(sameAttribution(a, attributeVisit(visit(), [laCare()], DEFAULT_ATTRIBUTION_POLICY))).toBe(true);
    expect(sameAttribution(a, attributeVisit(visit(), [laCare({ productLine: 'PASC_SEIU' })], DEFAULT_ATTRIBUTION_POLICY))).toBe(false);
    expect(sameAttribution(undefined, a)).toBe(false);
  });
});

describe('service date of a visit, in America/Los_Angeles', () => {
  it.each([
    ['07:59 UTC on Nov 28 is still Nov 27 in Los Angeles (PST, UTC-8)', '2026-11-28T07:59:59Z', '2026-11-27'],
    ['08:00 UTC on Nov 28 is midnight Nov 28 in Los Angeles', '2026-11-28T08:00:00Z', '2026-11-28'],
    ['in summer (PDT, UTC-7), 06:59 UTC is the previous day', '2026-07-04T06:59:00Z', '2026-07-03'],
    ['in summer, 07:00 UTC is the new day', '2026-07-04T07:00:00Z', '2026-07-04'],
    ['late evening in Los Angeles is the next day in UTC but not the next service date', '2026-03-02T05:30:00Z', '2026-03-01'],
  ])('%s', (_name, instant, expected) => {
    expect(serviceDateOf(new Date(instant))).toBe(expected);
  });

  it('knows when a service date begins, in winter and in summer', () => {
    expect(startOfServiceDate('2026-11-28').toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(startOfServiceDate('2026-07-04').toISOString()).toBe('2026-07-04T07:00:00.000Z');
  });

  it('a visit at 23:30 Los Angeles time is attributed on that date: coverage ending that day still applies', () => {
    const serviceDate = serviceDateOf(new Date('2026-12-01T07:30:00Z'));
    expect(serviceDate).toBe('2026-11-30');
    expect(attributeVisit(visit({ serviceDate }), [laCare({ coverageEnd: '2026-11-30' })], DEFAULT_ATTRIBUTION_POLICY).plan).toBe('LA_CARE');
  });
});

describe('attribution policy settings', () => {
  it('parses community shares and refuses ones that do not sum to 100', () => {
    expect(parseCommunityShares('LA_CARE=60,BLUE_SHIELD_PROMISE=40')).toEqual({ LA_CARE: 60, BLUE_SHIELD_PROMISE: 40 });
    expect(() => parseCommunityShares('LA_CARE=60,BLUE_SHIELD_PROMISE=60')).toThrow(/sum to 100/);
    expect(() => parsePlanPartnerPlans('ANTHEM=KAISER')).toThrow(/CODE=LA_CARE/);
  });
});
