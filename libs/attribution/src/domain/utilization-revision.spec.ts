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
const blueShield: Attribution = { plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', rule: 1, ruleVersion: 1, productLine: 'MEDICARE', rosterPlan: 'BLUE_SHIELD_PROMISE', flags: [] };
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
    expect(second.entries).toEqual([
      expect.objectContaining({ feedPlan: 'LA_CARE', recordId: 'v-1:2', supersedes: 'v-1:1', status: 'ACTIVE' }),
    ]);
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
});
