import {
  ATTRIBUTION_RULE_VERSION,
  AttributedPlan,
  AttributionBasis,
  AttributionFlag,
  isPartnerPlan,
  PartnerPlan,
  SelfReportedPlan,
} from '@crc/contracts';
import type { Coverage } from '@crc/eligibility';
import { AttributionPolicy } from './attribution-policy';

/** What attribution needs to know about a visit. */
export interface VisitForAttribution {
  serviceDate: string;
  memberId?: string;
  selfReportedPlan: SelfReportedPlan;
}

export interface Attribution {
  plan: AttributedPlan;
  basis: AttributionBasis;
  /** Which numbered rule of DOMAIN.md decided (1 to 4). */
  rule: 1 | 2 | 3 | 4;
  ruleVersion: number;
  productLine?: string;
  /** Whose roster the deciding coverage came from (differs from `plan` for delegated members). */
  rosterPlan?: PartnerPlan;
  planPartner?: string;
  flags: AttributionFlag[];
}

/** Whether a coverage span is in effect on a service date (both ends inclusive). */
export function coversDate(coverage: Pick<Coverage, 'coverageStart' | 'coverageEnd'>, serviceDate: string): boolean {
  return coverage.coverageStart <= serviceDate && (coverage.coverageEnd === undefined || serviceDate <= coverage.coverageEnd);
}

/** The CRC partner a coverage belongs to, looking through L.A. Care's plan-partner delegation. */
export function attributedPlanOf(coverage: Coverage, policy: AttributionPolicy): PartnerPlan {
  if (coverage.rosterPlan === 'LA_CARE' && coverage.planPartner) {
    return policy.planPartnerPlans[coverage.planPartner] ?? 'LA_CARE';
  }
  return coverage.rosterPlan;
}

/**
 * Orders candidate coverages: latest start first; on a tie, the plan's own roster before a
 * delegating roster, then the product line's name, so the result never depends on storage order.
 */
function byPreference(policy: AttributionPolicy) {
  return (a: Coverage, b: Coverage): number => {
    if (a.coverageStart !== b.coverageStart) return a.coverageStart < b.coverageStart ? 1 : -1;
    const aOwn = a.rosterPlan === attributedPlanOf(a, policy) ? 0 : 1;
    const bOwn = b.rosterPlan === attributedPlanOf(b, policy) ? 0 : 1;
    if (aOwn !== bOwn) return aOwn - bOwn;
    return a.productLine.localeCompare(b.productLine);
  };
}

/**
 * The attribution rules, version 1 (DOMAIN.md), evaluated on the visit's service date:
 * 1. coverage in exactly one plan -> that plan, ELIGIBILITY;
 * 2. coverage in both -> the latest coverageStart wins, ELIGIBILITY, DUAL_COVERAGE
 *    (equal starts: the plan the visitor named, if it is one of them, else L.A. Care, the local plan);
 * 3. no coverage, but a member id and a named plan -> that plan, SELF_REPORTED;
 * 4. otherwise COMMUNITY, NONE.
 * Rules 1 and 2 look through the plan-partner mapping before choosing.
 */
export function attributeVisit(visit: VisitForAttribution, coverages: Coverage[], policy: AttributionPolicy): Attribution {
  const base = { ruleVersion: ATTRIBUTION_RULE_VERSION, flags: [] as AttributionFlag[] };
  const memberId = visit.memberId;
  const effective = memberId
    ? coverages.filter((c) => (c.memberId === memberId || c.cin === memberId) && coversDate(c, visit.serviceDate))
    : [];

  if (effective.length > 0) {
    const plans = new Set(effective.map((c) => attributedPlanOf(c, policy)));
    const ranked = [...effective].sort(byPreference(policy));
    let winner = ranked[0];
    if (plans.size > 1) {
      const tied = ranked.filter((c) => c.coverageStart === winner.coverageStart);
      const tiedPlans = new Set(tied.map((c) => attributedPlanOf(c, policy)));
      if (tiedPlans.size > 1) {
        const preferred: PartnerPlan =
          isPartnerPlan(visit.selfReportedPlan) && tiedPlans.has(visit.selfReportedPlan) ? visit.selfReportedPlan : 'LA_CARE';
        winner = tied.find((c) => attributedPlanOf(c, policy) === preferred) ?? winner;
      }
    }
    return {
      ...base,
      plan: attributedPlanOf(winner, policy),
      basis: 'ELIGIBILITY',
      rule: plans.size > 1 ? 2 : 1,
      productLine: winner.productLine,
      rosterPlan: winner.rosterPlan,
      ...(winner.planPartner ? { planPartner: winner.planPartner } : {}),
      flags: plans.size > 1 ? ['DUAL_COVERAGE'] : [],
    };
  }
  if (memberId && isPartnerPlan(visit.selfReportedPlan)) {
    return { ...base, plan: visit.selfReportedPlan, basis: 'SELF_REPORTED', rule: 3 };
  }
  return { ...base, plan: 'COMMUNITY', basis: 'NONE', rule: 4 };
}

/** Whether two attributions say the same thing (a re-run that changes nothing is no revision). */
export function sameAttribution(a: Attribution | undefined, b: Attribution): boolean {
  return (
    a !== undefined &&
    a.plan === b.plan &&
    a.basis === b.basis &&
    a.rule === b.rule &&
    a.ruleVersion === b.ruleVersion &&
    a.productLine === b.productLine &&
    a.rosterPlan === b.rosterPlan &&
    a.planPartner === b.planPartner &&
    a.flags.join(',') === b.flags.join(',')
  );
}
