/** How an attribution was decided (docs/domain.md, Attribution). */
export const ATTRIBUTION_BASES = ['ELIGIBILITY', 'SELF_REPORTED', 'NONE'] as const;
export type AttributionBasis = (typeof ATTRIBUTION_BASES)[number];

/**
 * `DUAL_COVERAGE`: rule 2 of version 1 (latest coverage start won); found on records made before
 * version 2 only. `DUAL_COVERAGE_CONFLICT`: both plans' rosters cover the visitor and do not agree,
 * waiting for operations (never in a feed: the plan keeping the visit is not told while it waits).
 * `DUAL_COVERAGE_RESOLVED`: such a conflict, resolved by operations or by configured precedence.
 */
export const ATTRIBUTION_FLAGS = ['DUAL_COVERAGE', 'DUAL_COVERAGE_CONFLICT', 'DUAL_COVERAGE_RESOLVED'] as const;
export type AttributionFlag = (typeof ATTRIBUTION_FLAGS)[number];

/**
 * Recorded with every attribution, so a rule change never rewrites history silently.
 * Version 2: coverage in both plans' rosters is a conflict for operations, never decided by which
 * roster came last.
 */
export const ATTRIBUTION_RULE_VERSION = 2;
