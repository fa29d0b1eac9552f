import type { Coverage } from '@crc/eligibility';
import { serviceDateOf, startOfServiceDate } from '@crc/contracts';
import { AttributionPolicy, DEFAULT_ATTRIBUTION_POLICY, parseCommunityShares, parseConflictPrecedence, parsePlanPartnerPlans } from './attribution-policy';
import { Attribution, AttributionContext, attributeVisit, sameAttribution, VisitForAttribution } from './attribution-rules';

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

describe('attributeVisit (rules version 2)', () => {
  const withPrecedence = (spec: string) => ({ ...DEFAULT_ATTRIBUTION_POLICY, conflictPrecedence: parseConflictPrecedence(spec) });
  const onLaCare = { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } satisfies Partial<Attribution>;
  const cases: Array<{
    name: string;
    visit: VisitForAttribution;
    coverages: Coverage[];
    context?: AttributionContext;
    policy?: AttributionPolicy;
    expected: Partial<Attribution>;
  }> = [
    // Rule 1: exactly one plan.
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
      name: 'rule 1 through the plan-partner mapping: L.A. Care member served by Blue Shield Promise',
      visit: visit(),
      coverages: [laCare({ planPartner: 'BLUE_SHIELD_PROMISE' })],
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', rule: 1, rosterPlan: 'LA_CARE', planPartner: 'BLUE_SHIELD_PROMISE', flags: [] },
    },
    {
      name: 'rule 1: an Anthem plan-partner member stays with L.A. Care, both recorded',
      visit: visit(),
      coverages: [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' })],
      expected: { plan: 'LA_CARE', rule: 1, rosterPlan: 'LA_CARE', planPartner: 'ANTHEM_BLUE_CROSS' },
    },
    {
      name: 'rule 1: several spans in one plan, the latest start gives the product line',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2024-01-01', productLine: 'MEDI_CAL' }), laCare({ coverageStart: '2026-07-01', productLine: 'MEDICARE_PLUS' })],
      expected: { plan: 'LA_CARE', rule: 1, productLine: 'MEDICARE_PLUS', flags: [] },
    },
    {
      name: 'rule 1 only among coverage effective that day: an expired second plan is no conflict',
      visit: visit(),
      coverages: [laCare(), blueShield({ coverageStart: '2026-05-01', coverageEnd: '2026-06-30' })],
      expected: { plan: 'LA_CARE', rule: 1, flags: [] },
    },
    // Rule 2: both rosters agree through the plan partner.
    {
      name: "rule 2, agreement: L.A. Care's roster names Blue Shield Promise and Blue Shield Promise's roster has the member",
      visit: visit(),
      coverages: [laCare({ planPartner: 'BLUE_SHIELD_PROMISE' }), blueShield({ productLine: 'MEDICARE' })],
      expected: {
        plan: 'BLUE_SHIELD_PROMISE',
        basis: 'ELIGIBILITY',
        rule: 2,
        productLine: 'MEDICARE',
        rosterPlan: 'BLUE_SHIELD_PROMISE',
        flags: [],
        conflict: undefined,
      },
    },
    // Rule 2: a genuine conflict.
    {
      name: 'rule 2, conflict, never attributed on eligibility: no plan (community), flagged, whichever roster started later',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2025-06-01' }), blueShield({ coverageStart: '2026-03-01', productLine: 'MEDICARE' })],
      expected: {
        plan: 'COMMUNITY',
        basis: 'NONE',
        rule: 2,
        flags: ['DUAL_COVERAGE_CONFLICT'],
        productLine: undefined,
        conflict: { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' } },
      },
    },
    {
      name: 'rule 2, conflict: the plan the visitor named does not decide either',
      visit: visit({ selfReportedPlan: 'BLUE_SHIELD_PROMISE' }),
      coverages: [laCare(), blueShield()],
      context: { published: { plan: 'BLUE_SHIELD_PROMISE', basis: 'SELF_REPORTED', flags: [] } },
      expected: { plan: 'COMMUNITY', basis: 'NONE', rule: 2, flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    {
      name: "rule 2, conflict: L.A. Care's roster naming Anthem while Blue Shield Promise lists the member is a conflict",
      visit: visit(),
      coverages: [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' }), blueShield()],
      expected: { plan: 'COMMUNITY', rule: 2, flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    {
      name: 'rule 2, conflict, visit already on eligibility with L.A. Care: it keeps its plan and product line',
      visit: visit(),
      coverages: [
        laCare({ coverageStart: '2025-06-01', productLine: 'LA_CARE_COVERED' }),
        blueShield({ coverageStart: '2026-10-01', productLine: 'MEDICARE' }),
      ],
      context: { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } },
      expected: { ...onLaCare, rule: 2, productLine: 'LA_CARE_COVERED', rosterPlan: 'LA_CARE', flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    {
      name: 'rule 2, conflict, visit already on eligibility with Blue Shield Promise: it keeps Blue Shield Promise',
      visit: visit(),
      coverages: [laCare({ coverageStart: '2026-10-01' }), blueShield({ productLine: 'MEDICARE' })],
      context: { published: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', flags: [] } },
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', productLine: 'MEDICARE', flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    {
      name: "rule 2, conflict: a record made by version 1's latest-start rule is not kept",
      visit: visit(),
      coverages: [laCare(), blueShield({ coverageStart: '2026-10-01' })],
      context: { published: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', flags: ['DUAL_COVERAGE'] } },
      expected: { plan: 'COMMUNITY', basis: 'NONE', flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    {
      name: 'rule 2, conflict resolved by operations: the chosen plan, on eligibility, with its product line',
      visit: visit(),
      coverages: [laCare(), blueShield({ productLine: 'MEDICARE' })],
      context: { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] }, resolution: { plan: 'BLUE_SHIELD_PROMISE' } },
      expected: {
        plan: 'BLUE_SHIELD_PROMISE',
        basis: 'ELIGIBILITY',
        rule: 2,
        productLine: 'MEDICARE',
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' }, resolvedBy: 'OPERATIONS' },
      },
    },
    {
      name: 'rule 2, operations win over configured precedence',
      visit: visit(),
      coverages: [laCare(), blueShield({ productLine: 'MEDICARE' })],
      context: { resolution: { plan: 'LA_CARE' } },
      policy: withPrecedence('MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE'),
      expected: {
        ...onLaCare,
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' }, resolvedBy: 'OPERATIONS' },
      },
    },
    {
      name: 'rule 2, precedence by product-line pair resolves it, even against a plan that had the visit',
      visit: visit(),
      coverages: [laCare(), blueShield({ productLine: 'MEDICARE' })],
      context: { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } },
      policy: withPrecedence('MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE'),
      expected: {
        plan: 'BLUE_SHIELD_PROMISE',
        basis: 'ELIGIBILITY',
        productLine: 'MEDICARE',
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' }, resolvedBy: 'PRECEDENCE' },
      },
    },
    {
      name: 'rule 2, precedence with a wildcard',
      visit: visit(),
      coverages: [laCare({ productLine: 'PASC_SEIU' }), blueShield()],
      policy: withPrecedence('MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE,PASC_SEIU+*=LA_CARE'),
      expected: { plan: 'LA_CARE', productLine: 'PASC_SEIU', flags: ['DUAL_COVERAGE_RESOLVED'] },
    },
    {
      name: 'rule 2, precedence for another pair does not apply: the conflict waits',
      visit: visit(),
      coverages: [laCare(), blueShield()],
      policy: withPrecedence('MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE'),
      expected: { plan: 'COMMUNITY', flags: ['DUAL_COVERAGE_CONFLICT'] },
    },
    // Roster withdrawn.
    {
      name: 'roster withdrawn: the conflict is gone when one side ends, and the other plan has it on rule 1',
      visit: visit(),
      coverages: [laCare({ coverageEnd: '2026-11-01' }), blueShield({ productLine: 'MEDICARE' })],
      context: { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } },
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', rule: 1, flags: [], conflict: undefined },
    },
    {
      name: 'roster withdrawn: a resolution no longer matters once the conflict is gone',
      visit: visit(),
      coverages: [laCare()],
      context: { resolution: { plan: 'BLUE_SHIELD_PROMISE' } },
      expected: { ...onLaCare, rule: 1 },
    },
    {
      name: 'roster withdrawn: coverage that ended the day before does not count; no named plan is community',
      visit: visit({ selfReportedPlan: 'NONE' }),
      coverages: [laCare({ coverageEnd: '2026-11-27' })],
      context: { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } },
      expected: { plan: 'COMMUNITY', basis: 'NONE', rule: 4 },
    },
    // Rule 3: self-reported.
    {
      name: 'rule 3: no roster match, member id and named plan',
      visit: visit({ memberId: 'UNKNOWN1', selfReportedPlan: 'BLUE_SHIELD_PROMISE' }),
      coverages: [],
      expected: { plan: 'BLUE_SHIELD_PROMISE', basis: 'SELF_REPORTED', rule: 3, flags: [] },
    },
    {
      name: 'rule 3: coverage starting the day after does not count; the named plan is then self-reported',
      visit: visit({ selfReportedPlan: 'LA_CARE' }),
      coverages: [laCare({ coverageStart: '2026-11-29' })],
      expected: { plan: 'LA_CARE', basis: 'SELF_REPORTED', rule: 3 },
    },
    // Rule 4: community.
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
  ];

  it.each(cases)('$name', ({ visit: v, coverages, context, policy, expected }) => {
    const result = attributeVisit(v, coverages, policy ?? DEFAULT_ATTRIBUTION_POLICY, context);
    const present = Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined));
    expect(result).toMatchObject({ ...present, ruleVersion: 2 });
    // `undefined` in a case means: absent.
    for (const [key, value] of Object.entries(expected)) if (value === undefined) expect(result[key as keyof Attribution]).toBeUndefined();
    if (result.basis !== 'ELIGIBILITY') expect(result.productLine).toBeUndefined();
  });

  it('never lets the roster that arrived (or started) last decide a conflict: the result is the same in every order', () => {
    const early = laCare({ coverageStart: '2020-01-01' });
    const late = blueShield({ coverageStart: '2026-11-01', productLine: 'MEDICARE' });
    for (const coverages of [
      [early, late],
      [late, early],
    ]) {
      expect(attributeVisit(visit(), coverages, DEFAULT_ATTRIBUTION_POLICY).plan).toBe('COMMUNITY');
      expect(attributeVisit(visit(), coverages, DEFAULT_ATTRIBUTION_POLICY, { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } }).plan).toBe(
        'LA_CARE',
      );
    }
    // Swapping which plan started later changes nothing either.
    const swapped = [laCare({ coverageStart: '2026-11-01' }), blueShield({ coverageStart: '2020-01-01' })];
    expect(attributeVisit(visit(), swapped, DEFAULT_ATTRIBUTION_POLICY, { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } }).plan).toBe(
      'LA_CARE',
    );
  });

  it('gives the same answer whatever order the coverages are stored in', () => {
    const coverages = [laCare({ coverageStart: '2026-02-01' }), blueShield({ coverageStart: '2026-02-01' }), laCare({ productLine: 'PASC_SEIU' })];
    const forward = attributeVisit(visit(), coverages, DEFAULT_ATTRIBUTION_POLICY, { published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] } });
    const backward = attributeVisit(visit(), [...coverages].reverse(), DEFAULT_ATTRIBUTION_POLICY, {
      published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] },
    });
    expect(backward).toEqual(forward);
  });

  it('follows a configured mapping that sends another plan partner to Blue Shield Promise', () => {
    const policy = {
      ...DEFAULT_ATTRIBUTION_POLICY,
      planPartnerPlans: parsePlanPartnerPlans('BLUE_SHIELD_PROMISE=BLUE_SHIELD_PROMISE,ANTHEM_BLUE_CROSS=BLUE_SHIELD_PROMISE'),
    };
    expect(attributeVisit(visit(), [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' })], policy).plan).toBe('BLUE_SHIELD_PROMISE');
    // ... and through which both rosters then agree.
    expect(attributeVisit(visit(), [laCare({ planPartner: 'ANTHEM_BLUE_CROSS' }), blueShield()], policy)).toMatchObject({
      plan: 'BLUE_SHIELD_PROMISE',
      rule: 2,
      flags: [],
    });
  });

  it('tells a changed attribution from an unchanged one', () => {
    const a = attributeVisit(visit(), [laCare()], DEFAULT_ATTRIBUTION_POLICY);
    expect(sameAttribution(a, attributeVisit(visit(), [laCare()], DEFAULT_ATTRIBUTION_POLICY))).toBe(true);
    expect(sameAttribution(a, attributeVisit(visit(), [laCare({ productLine: 'PASC_SEIU' })], DEFAULT_ATTRIBUTION_POLICY))).toBe(false);
    expect(sameAttribution(undefined, a)).toBe(false);
    const kept = attributeVisit(visit(), [laCare(), blueShield()], DEFAULT_ATTRIBUTION_POLICY, {
      published: { plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: [] },
    });
    expect(sameAttribution(a, kept)).toBe(false);
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

  it('parses conflict precedence by product-line pair, none by default', () => {
    expect(DEFAULT_ATTRIBUTION_POLICY.conflictPrecedence).toEqual([]);
    expect(parseConflictPrecedence('')).toEqual([]);
    expect(parseConflictPrecedence('medi_cal+MEDICARE=BLUE_SHIELD_PROMISE, *+*=LA_CARE')).toEqual([
      { laCareProductLine: 'MEDI_CAL', blueShieldProductLine: 'MEDICARE', plan: 'BLUE_SHIELD_PROMISE' },
      { laCareProductLine: '*', blueShieldProductLine: '*', plan: 'LA_CARE' },
    ]);
    expect(() => parseConflictPrecedence('MEDI_CAL=LA_CARE')).toThrow(/MEDI_CAL\+MEDICARE/);
    expect(() => parseConflictPrecedence('MEDI_CAL+MEDICARE=COMMUNITY')).toThrow(/MEDI_CAL\+MEDICARE/);
  });
});
