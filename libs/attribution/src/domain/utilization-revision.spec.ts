import { createHash } from 'node:crypto';
import { Attribution } from './attribution-rules';
import { nextRevision, VisitFacts } from './utilization-revision';

const facts: VisitFacts = {
  visitId: 'v-1',
  centerId: 'crc-el-monte',
  serviceDate: '2026-11-28',
  checkedInAt: new Date('2026-11-28T17:00:00Z'),
  purposes: ['EXERCISE_CLASS'],
  memberId: '12345678A',
};
const laCare: Attribution = { plan: 'LA_CARE', basis: 'ELIGIBILITY', rule: 1, ruleVersion: 1, productLine: 'MEDI_CAL', rosterPlan: 'LA_CARE', flags: [] };
const blueShield: Attribution = {
  plan: 'BLUE_SHIELD_PROMISE',
  basis: 'ELIGIBILITY',
  rule: 1,
  ruleVersion: 1,
  productLine: 'MEDICARE',
  rosterPlan: 'BLUE_SHIELD_PROMISE',
  flags: [],
};
const community: Attribution = { plan: 'COMMUNITY', basis: 'NONE', rule: 4, ruleVersion: 1, flags: [] };

describe('nextRevision', () => {
  it('publishes a first ACTIVE record to the attributed plan only', () => {
    const result = nextRevision(undefined, facts, laCare)!;
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({ feedPlan: 'LA_CARE', recordId: 'v-1:1', revision: 1, status: 'ACTIVE', memberId: '12345678A' });
    expect(result.entries[0].supersedes).toBeUndefined();
    expect(result.published).toMatchObject({ plan: 'LA_CARE', revision: 1 });
  });

  it('changes nothing when the same attribution and facts come again', () => {
    const first = nextRevision(undefined, facts, laCare)!;
    expect(nextRevision(first.published, { ...facts, purposes: [...facts.purposes] }, { ...laCare })).toBeUndefined();
  });

  it('supersedes the earlier record in the same feed when the facts change (check-out)', () => {
    const first = nextRevision(undefined, facts, laCare)!;
    const second = nextRevision(first.published, { ...facts, checkedOutAt: new Date('2026-11-28T18:00:00Z') }, laCare)!;
    expect(second.entries).toEqual([expect.objectContaining({ feedPlan: 'LA_CARE', recordId: 'v-1:2', supersedes: 'v-1:1', status: 'ACTIVE' })]);
  });

  it('voids the record in the former plan and opens one in the new plan when a roster moves the visit', () => {
    const first = nextRevision(undefined, facts, laCare)!;
    const moved = nextRevision(first.published, facts, blueShield)!;
    expect(moved.entries).toHaveLength(2);
    const voided = moved.entries.find((e) => e.feedPlan === 'LA_CARE')!;
    const active = moved.entries.find((e) => e.feedPlan === 'BLUE_SHIELD_PROMISE')!;
    expect(voided).toMatchObject({ status: 'VOIDED', supersedes: 'v-1:1', recordId: 'v-1:2' });
    // The former plan does not learn who the member is now, nor where the visit went.
    expect(voided.memberId).toBeUndefined();
    expect(voided.plan).toBe('LA_CARE');
    expect(active).toMatchObject({ status: 'ACTIVE', recordId: 'v-1:2', memberId: '12345678A' });
    expect(active.supersedes).toBeUndefined();
  });

  it('publishes nothing for a community visit, and voids the plan record when a visit becomes community', () => {
    expect(nextRevision(undefined, facts, community)!.entries).toEqual([]);
    const first = nextRevision(undefined, facts, laCare)!;
    const toCommunity = nextRevision(first.published, facts, community)!;
    expect(toCommunity.entries).toEqual([expect.objectContaining({ feedPlan: 'LA_CARE', status: 'VOIDED' })]);
    expect(toCommunity.published.plan).toBe('COMMUNITY');
  });

  describe('rule version 2', () => {
    /** The hash version 1 stored, written out as it was then. */
    const storedByVersion1 = (a: Attribution) =>
      createHash('sha256')
        .update(
          JSON.stringify([
            a.plan,
            a.basis,
            a.rule,
            a.ruleVersion,
            a.productLine ?? '',
            a.rosterPlan ?? '',
            a.planPartner ?? '',
            a.flags.join('+'),
            facts.centerId,
            facts.serviceDate,
            facts.checkedInAt.toISOString(),
            '',
            [...facts.purposes].sort().join('+'),
            facts.memberId ?? '',
          ]),
        )
        .digest('base64url');
    const v2 = (a: Attribution): Attribution => ({ ...a, ruleVersion: 2 });

    it('a record of version 1 that version 2 would write the same is no correction', () => {
      const previous = {
        plan: 'LA_CARE' as const,
        revision: 1,
        contentHash: storedByVersion1(laCare),
        recorded: { rule: 1 as const, ruleVersion: 1, rosterPlan: 'LA_CARE' as const },
      };
      expect(nextRevision(previous, facts, v2(laCare))).toBeUndefined();
      // Nor when only what no feed shows differs: the rule number (rule 2's agreement through the plan partner).
      expect(nextRevision(previous, facts, { ...v2(laCare), rule: 2 })).toBeUndefined();
      // What the feed shows does count.
      expect(nextRevision(previous, facts, { ...v2(laCare), productLine: 'PASC_SEIU' })).toMatchObject({
        entries: [expect.objectContaining({ ruleVersion: 2, supersedes: 'v-1:1' })],
      });
    });

    it('a waiting conflict leaves the feed of the plan keeping the visit untouched, and never shows in it', () => {
      const first = nextRevision(undefined, facts, v2(laCare))!;
      const waiting: Attribution = {
        ...v2(laCare),
        rule: 2,
        flags: ['DUAL_COVERAGE_CONFLICT'],
        conflict: { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' } },
      };
      expect(nextRevision(first.published, facts, waiting)).toBeUndefined();
      const checkedOut = nextRevision(first.published, { ...facts, checkedOutAt: new Date('2026-11-28T18:00:00Z') }, waiting)!;
      expect(checkedOut.entries.map((e) => e.flags)).toEqual([[]]);
    });

    it('a resolution is a correction: in the same feed when the plan keeps the visit, a void and a new record when it moves', () => {
      const first = nextRevision(undefined, facts, v2(laCare))!;
      const conflict = { productLines: { LA_CARE: 'MEDI_CAL', BLUE_SHIELD_PROMISE: 'MEDICARE' } };
      const kept = nextRevision(first.published, facts, {
        ...v2(laCare),
        rule: 2,
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { ...conflict, resolvedBy: 'OPERATIONS' },
      })!;
      expect(kept.entries).toEqual([
        expect.objectContaining({ feedPlan: 'LA_CARE', status: 'ACTIVE', supersedes: 'v-1:1', flags: ['DUAL_COVERAGE_RESOLVED'] }),
      ]);
      const moved = nextRevision(first.published, facts, {
        ...v2(blueShield),
        rule: 2,
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { ...conflict, resolvedBy: 'OPERATIONS' },
      })!;
      expect(moved.entries.map((e) => [e.feedPlan, e.status, e.flags])).toEqual([
        ['LA_CARE', 'VOIDED', []],
        ['BLUE_SHIELD_PROMISE', 'ACTIVE', ['DUAL_COVERAGE_RESOLVED']],
      ]);
    });
  });
});
