import { isPartnerPlan, PartnerPlan } from '@crc/contracts';

/**
 * Configuration of the attribution rules (docs/domain.md, Attribution): which CRC partner an L.A. Care member
 * served through a plan partner is attributed to, and how community visits are shared.
 */
export interface AttributionPolicy {
  /** Plan-partner code -> CRC partner plan. Plan partners not listed stay with L.A. Care. */
  planPartnerPlans: Readonly<Record<string, PartnerPlan>>;
  /** Each plan's share of community visits in shared-cost reports; sums to 100. */
  communityShares: Readonly<Record<PartnerPlan, number>>;
  /** Visits this many days back are attributed again when a roster changes. */
  lookbackDays: number;
  /**
   * Rule 2: which plan takes a visit both rosters claim, by the pair of product lines (L.A. Care's
   * side first). Empty by default: every such visit waits for operations.
   */
  conflictPrecedence: readonly ConflictPrecedence[];
}

/** `laCareProductLine` / `blueShieldProductLine` may be `*` (any product line). */
export interface ConflictPrecedence {
  laCareProductLine: string;
  blueShieldProductLine: string;
  plan: PartnerPlan;
}

export const DEFAULT_ATTRIBUTION_POLICY: AttributionPolicy = {
  planPartnerPlans: { BLUE_SHIELD_PROMISE: 'BLUE_SHIELD_PROMISE' },
  communityShares: { LA_CARE: 50, BLUE_SHIELD_PROMISE: 50 },
  lookbackDays: 90,
  conflictPrecedence: [],
};

/** Parses `CODE=PLAN,CODE=PLAN`, e.g. `BLUE_SHIELD_PROMISE=BLUE_SHIELD_PROMISE`. */
export function parsePlanPartnerPlans(spec: string): Record<string, PartnerPlan> {
  const result: Record<string, PartnerPlan> = {};
  for (const pair of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [partner, plan] = pair.split('=').map((s) => s.trim().toUpperCase());
    if (!partner || !isPartnerPlan(plan)) throw new Error(`plan-partner mapping "${pair}" must look like CODE=LA_CARE or CODE=BLUE_SHIELD_PROMISE`);
    result[partner] = plan;
  }
  return result;
}

/** Parses `LA_CARE=50,BLUE_SHIELD_PROMISE=50`; the shares must cover both plans and sum to 100. */
export function parseCommunityShares(spec: string): Record<PartnerPlan, number> {
  const result: Partial<Record<PartnerPlan, number>> = {};
  for (const pair of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [plan, share] = pair.split('=').map((s) => s.trim());
    const value = Number(share);
    if (!isPartnerPlan(plan) || !Number.isFinite(value) || value < 0) throw new Error(`community share "${pair}" must look like LA_CARE=50`);
    result[plan] = value;
  }
  if (result.LA_CARE === undefined || result.BLUE_SHIELD_PROMISE === undefined || result.LA_CARE + result.BLUE_SHIELD_PROMISE !== 100) {
    throw new Error('community shares must name LA_CARE and BLUE_SHIELD_PROMISE and sum to 100');
  }
  return result as Record<PartnerPlan, number>;
}

/**
 * Parses `LA_CARE_LINE+BLUE_SHIELD_LINE=PLAN,...`, e.g. `MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE`
 * (the product line on L.A. Care's side first; `*` matches any). Empty: no precedence.
 */
export function parseConflictPrecedence(spec: string): ConflictPrecedence[] {
  const result: ConflictPrecedence[] = [];
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Z0-9_]+|\*)\+([A-Z0-9_]+|\*)=([A-Z_]+)$/.exec(entry.toUpperCase());
    if (!match || !isPartnerPlan(match[3])) {
      throw new Error(`conflict precedence "${entry}" must look like MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE (L.A. Care's product line first)`);
    }
    result.push({ laCareProductLine: match[1], blueShieldProductLine: match[2], plan: match[3] });
  }
  return result;
}
