/** How an attribution was decided (DOMAIN.md, attribution rules). */
export const ATTRIBUTION_BASES = ['ELIGIBILITY', 'SELF_REPORTED', 'NONE'] as const;
export type AttributionBasis = (typeof ATTRIBUTION_BASES)[number];

export const ATTRIBUTION_FLAGS = ['DUAL_COVERAGE'] as const;
export type AttributionFlag = (typeof ATTRIBUTION_FLAGS)[number];

/** Recorded with every attribution, so a rule change never rewrites history silently. */
export const ATTRIBUTION_RULE_VERSION = 1;
