/** Why a visitor came in; a visit may have several. */
export const VISIT_PURPOSES = [
  'EXERCISE_CLASS',
  'NUTRITION_CLASS',
  'HEALTH_SCREENING',
  'TELEHEALTH_WIFI',
  'MEMBERSHIP_HELP',
  'OTHER',
] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];
