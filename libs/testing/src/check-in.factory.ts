import type { CheckInRequest, SelfReportedPlan, VisitPurpose } from '@crc/contracts';

/** A check-in request body; override what the test is about. */
export function aCheckIn(
  overrides: { memberId?: string; selfReportedPlan?: SelfReportedPlan; purposes?: VisitPurpose[]; preferredLanguage?: string } = {},
): CheckInRequest {
  const { purposes = ['EXERCISE_CLASS'], ...visitor } = overrides;
  const hasVisitor = Object.values(visitor).some((v) => v !== undefined);
  return { ...(hasVisitor ? { visitor } : {}), purposes };
}
