import { ATTRIBUTION_RULE_VERSION, AttributedPlan, AttributionBasis, AttributionFlag, isPartnerPlan, PartnerPlan, SelfReportedPlan } from '@crc/contracts';
import type { Coverage } from '@crc/eligibility';
import { AttributionPolicy } from './attribution-policy';

/** What attribution needs to know about a visit. */
export interface VisitForAttribution {
  serviceDate: string;
  memberId?: string;
  selfReportedPlan: SelfReportedPlan;
}

/** Who resolved a dual-coverage conflict. */
export type ConflictResolver = 'OPERATIONS' | 'PRECEDENCE';

/** Both plans' rosters cover the visitor on the service date and do not agree (rule 2). */
export interface DualCoverageConflict {
  /** The product line each plan's side of the conflict names. */
  productLines: Record<PartnerPlan, string>;
  /** Absent while the conflict waits. */
  resolvedBy?: ConflictResolver;
}

export interface Attribution {
  plan: AttributedPlan;
  basis: AttributionBasis;
  /** Which numbered rule of the attribution rules decided (1 to 4). */
  rule: 1 | 2 | 3 | 4;
  ruleVersion: number;
  productLine?: string;
  /** Whose roster the deciding coverage came from (differs from `plan` for delegated members). */
  rosterPlan?: PartnerPlan;
  planPartner?: string;
  flags: AttributionFlag[];
  /** Present when both rosters cover the visitor and disagree (flag DUAL_COVERAGE_CONFLICT or _RESOLVED). */
  conflict?: DualCoverageConflict;
}

/**
 * What rule 2 needs beyond the rosters, known only for a visit in conflict: what the feeds were
 * last told about it, and the plan operations chose for it.
 */
export interface AttributionContext {
  published?: Pick<Attribution, 'plan' | 'basis' | 'flags'>;
  resolution?: { plan: PartnerPlan };
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
 * Orders the coverages of one plan's side: latest start first (it gives the product line); on a
 * tie, the plan's own roster before a delegating roster, then the product line's name, so the result
 * never depends on storage order. Never used to choose between the two plans.
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

function onEligibility(coverage: Coverage, policy: AttributionPolicy) {
  return {
    plan: attributedPlanOf(coverage, policy),
    basis: 'ELIGIBILITY' as const,
    productLine: coverage.productLine,
    rosterPlan: coverage.rosterPlan,
    ...(coverage.planPartner ? { planPartner: coverage.planPartner } : {}),
  };
}

/** A feed record the visit may keep while a conflict waits: on eligibility, and not decided by version 1's rule 2. */
function keepsPlan(published: AttributionContext['published']): PartnerPlan | undefined {
  if (!published || published.basis !== 'ELIGIBILITY' || !isPartnerPlan(published.plan)) return undefined;
  return published.flags.includes('DUAL_COVERAGE') ? undefined : published.plan;
}

function precedenceOf(policy: AttributionPolicy, productLines: Record<PartnerPlan, string>): PartnerPlan | undefined {
  const matches = (wanted: string, actual: string) => wanted === '*' || wanted === actual;
  return policy.conflictPrecedence.find(
    (p) => matches(p.laCareProductLine, productLines.LA_CARE) && matches(p.blueShieldProductLine, productLines.BLUE_SHIELD_PROMISE),
  )?.plan;
}

/**
 * The attribution rules, version 2, evaluated on the visit's service date:
 * 1. coverage in exactly one plan -> that plan, ELIGIBILITY;
 * 2. coverage in both plans' rosters:
 *    - both point to the same plan (L.A. Care's roster names the partner, whose roster has the member) -> that plan, ELIGIBILITY;
 *    - otherwise a conflict (DUAL_COVERAGE_CONFLICT). Resolved by operations (`context.resolution`)
 *      or by configured precedence: the chosen plan, ELIGIBILITY, DUAL_COVERAGE_RESOLVED. Waiting: a
 *      visit the feeds already had on eligibility keeps that plan (`context.published`); any other
 *      goes to no plan: COMMUNITY, NONE. Which roster came last never decides;
 * 3. no coverage, but a member id and a named plan -> that plan, SELF_REPORTED;
 * 4. otherwise COMMUNITY, NONE.
 * Rules 1 and 2 look through the plan-partner mapping before choosing. Without a context, a
 * conflict is decided as if nothing was known: the caller supplies the context and asks again.
 */
export function attributeVisit(visit: VisitForAttribution, coverages: Coverage[], policy: AttributionPolicy, context: AttributionContext = {}): Attribution {
  const base = { ruleVersion: ATTRIBUTION_RULE_VERSION, flags: [] as AttributionFlag[] };
  const memberId = visit.memberId;
  const effective = memberId ? coverages.filter((c) => (c.memberId === memberId || c.cin === memberId) && coversDate(c, visit.serviceDate)) : [];

  if (effective.length > 0) {
    const sides = new Map<PartnerPlan, Coverage>();
    for (const coverage of [...effective].sort(byPreference(policy))) {
      const plan = attributedPlanOf(coverage, policy);
      if (!sides.has(plan)) sides.set(plan, coverage);
    }
    if (sides.size === 1) {
      const [winner] = sides.values();
      // Both rosters, one plan: they agree through the plan partner (rule 2's first case).
      const bothRosters = new Set(effective.map((c) => c.rosterPlan)).size > 1;
      return { ...base, ...onEligibility(winner, policy), rule: bothRosters ? 2 : 1 };
    }
    const productLines = { LA_CARE: sides.get('LA_CARE')!.productLine, BLUE_SHIELD_PROMISE: sides.get('BLUE_SHIELD_PROMISE')!.productLine };
    const resolved: [PartnerPlan, ConflictResolver] | undefined = context.resolution
      ? [context.resolution.plan, 'OPERATIONS']
      : ((plan) => (plan ? [plan, 'PRECEDENCE'] : undefined))(precedenceOf(policy, productLines));
    if (resolved) {
      return {
        ...base,
        ...onEligibility(sides.get(resolved[0])!, policy),
        rule: 2,
        flags: ['DUAL_COVERAGE_RESOLVED'],
        conflict: { productLines, resolvedBy: resolved[1] },
      };
    }
    const kept = keepsPlan(context.published);
    const waiting = { rule: 2 as const, flags: ['DUAL_COVERAGE_CONFLICT' as const], conflict: { productLines } };
    if (kept) return { ...base, ...onEligibility(sides.get(kept)!, policy), ...waiting };
    return { ...base, plan: 'COMMUNITY', basis: 'NONE', ...waiting };
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
    a.flags.join(',') === b.flags.join(',') &&
    conflictKey(a.conflict) === conflictKey(b.conflict)
  );
}

const conflictKey = (c: DualCoverageConflict | undefined) => (c ? `${c.productLines.LA_CARE}|${c.productLines.BLUE_SHIELD_PROMISE}|${c.resolvedBy ?? ''}` : '');
