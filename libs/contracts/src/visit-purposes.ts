/** Why a visitor came in; a visit may have several. */
export const VISIT_PURPOSES = ['EXERCISE_CLASS', 'NUTRITION_CLASS', 'HEALTH_SCREENING', 'TELEHEALTH_WIFI', 'MEMBERSHIP_HELP', 'OTHER'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];

/**
 * What people at the centers call each purpose: the one source of the names shown on the
 * dashboard. A `Record` over the list, so a new purpose does not compile without its name.
 */
export const VISIT_PURPOSE_NAMES: Readonly<Record<VisitPurpose, string>> = {
  EXERCISE_CLASS: 'Exercise class',
  NUTRITION_CLASS: 'Nutrition class',
  HEALTH_SCREENING: 'Health screening',
  TELEHEALTH_WIFI: 'Wi-Fi for telehealth',
  MEMBERSHIP_HELP: 'Membership help',
  OTHER: 'Other',
};
