import { SelfReportedPlan, VisitPurpose } from '@crc/contracts';

export interface CheckInVisitorCommand {
  centerId: string;
  kioskCredentialId: string;
  visitor?: { memberId?: string; selfReportedPlan?: SelfReportedPlan; preferredLanguage?: string };
  purposes: VisitPurpose[];
  /** When the visitor checked in by the kiosk's clock; now when absent. */
  occurredAt?: Date;
  /** Makes the check-in safe to retry (scoped to the kiosk's credential). */
  idempotencyKey?: string;
}
