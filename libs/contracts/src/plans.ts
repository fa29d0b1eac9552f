/** The two partner plans that share the cost of the Community Resource Centers. */
export const PARTNER_PLANS = ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const;
export type PartnerPlan = (typeof PARTNER_PLANS)[number];

/** What a visit is attributed to: a partner plan, or the community when neither plan covers it. */
export const ATTRIBUTED_PLANS = [...PARTNER_PLANS, 'COMMUNITY'] as const;
export type AttributedPlan = (typeof ATTRIBUTED_PLANS)[number];

/** What a visitor may say at the kiosk about their plan. */
export const SELF_REPORTED_PLANS = [...PARTNER_PLANS, 'NONE'] as const;
export type SelfReportedPlan = (typeof SELF_REPORTED_PLANS)[number];

export function isPartnerPlan(value: unknown): value is PartnerPlan {
  return typeof value === 'string' && (PARTNER_PLANS as readonly string[]).includes(value);
}

/** The names people use for the plans (and for visits of neither), as shown on the dashboard. */
export const ATTRIBUTED_PLAN_NAMES: Readonly<Record<AttributedPlan, string>> = {
  LA_CARE: 'L.A. Care',
  BLUE_SHIELD_PROMISE: 'Blue Shield Promise',
  COMMUNITY: 'Community',
};
