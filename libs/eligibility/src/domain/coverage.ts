import { isCalendarDate, MEDI_CAL_CIN_PATTERN, MEMBER_ID_PATTERN, normaliseMemberId, PartnerPlan } from '@crc/contracts';

/**
 * One span of a member's coverage in one plan's roster (docs/domain.md, Words: "Roster record").
 * Dates are inclusive calendar dates; an absent end means open-ended.
 */
export interface Coverage {
  /** Whose roster this is: the plan that uploaded it. */
  rosterPlan: PartnerPlan;
  memberId: string;
  cin?: string;
  productLine: string;
  /** For L.A. Care members served through a plan partner (e.g. BLUE_SHIELD_PROMISE, ANTHEM_BLUE_CROSS). */
  planPartner?: string;
  coverageStart: string;
  coverageEnd?: string;
}

export interface RowProblem {
  code: 'ROSTER.INVALID_ROW';
  message: string;
}

const PLAN_PARTNER_PATTERN = /^[A-Z][A-Z0-9_]{1,40}$/;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Checks one uploaded row. Problems are described by field, never by value: rows are PHI.
 * `productLines` is the plan's configured list (product lines are data, not code).
 */
export function readRosterRow(rosterPlan: PartnerPlan, raw: Record<string, unknown>, productLines: ReadonlySet<string>): Coverage | RowProblem {
  const problems: string[] = [];
  const memberIdRaw = text(raw.memberId);
  const memberId = memberIdRaw === undefined ? undefined : normaliseMemberId(memberIdRaw);
  if (!memberId || !MEMBER_ID_PATTERN.test(memberId)) problems.push('memberId is missing or not 3-32 letters, digits or dashes');
  const cinRaw = text(raw.cin);
  const cin = cinRaw === undefined ? undefined : normaliseMemberId(cinRaw);
  if (cin !== undefined && !MEDI_CAL_CIN_PATTERN.test(cin)) problems.push('cin must be 8 digits and a letter');
  const productLine = text(raw.productLine)?.toUpperCase();
  if (!productLine || !productLines.has(productLine)) {
    problems.push(`productLine must be one of ${[...productLines].join(', ')}`);
  }
  const planPartner = text(raw.planPartner)?.toUpperCase();
  if (planPartner !== undefined && !PLAN_PARTNER_PATTERN.test(planPartner)) problems.push('planPartner must be a code such as BLUE_SHIELD_PROMISE');
  const coverageStart = text(raw.coverageStart);
  if (!coverageStart || !isCalendarDate(coverageStart)) problems.push('coverageStart must be a date as YYYY-MM-DD');
  const coverageEnd = text(raw.coverageEnd);
  if (coverageEnd !== undefined && !isCalendarDate(coverageEnd)) problems.push('coverageEnd must be a date as YYYY-MM-DD');
  if (coverageStart && coverageEnd && isCalendarDate(coverageStart) && isCalendarDate(coverageEnd) && coverageEnd < coverageStart) {
    problems.push('coverageEnd is before coverageStart');
  }
  const known = new Set(['memberId', 'cin', 'productLine', 'planPartner', 'coverageStart', 'coverageEnd']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) problems.push(`unknown fields: ${unknown.join(', ')}`);
  if (problems.length > 0) return { code: 'ROSTER.INVALID_ROW', message: problems.join('; ') };
  return {
    rosterPlan,
    memberId: memberId!,
    ...(cin ? { cin } : {}),
    productLine: productLine!,
    ...(planPartner ? { planPartner } : {}),
    coverageStart: coverageStart!,
    ...(coverageEnd ? { coverageEnd } : {}),
  };
}

export function isRowProblem(value: Coverage | RowProblem): value is RowProblem {
  return (value as RowProblem).code === 'ROSTER.INVALID_ROW';
}
