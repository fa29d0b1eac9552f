/**
 * Member ids are PHI. Both the kiosk side and the reporting side normalise them the same way,
 * so that a visitor typing " 12345678a " matches the roster's "12345678A".
 */
export const MEMBER_ID_PATTERN = /^[A-Z0-9-]{3,32}$/;

/** Medi-Cal Client Index Number: 8 digits and a check letter. */
export const MEDI_CAL_CIN_PATTERN = /^\d{8}[A-Z]$/;

export type MemberIdType = 'MEDI_CAL_CIN' | 'PLAN_MEMBER_ID';

export function normaliseMemberId(raw: string): string {
  return raw.trim().toUpperCase();
}

export function memberIdType(normalised: string): MemberIdType {
  return MEDI_CAL_CIN_PATTERN.test(normalised) ? 'MEDI_CAL_CIN' : 'PLAN_MEMBER_ID';
}
