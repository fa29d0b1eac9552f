import { IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { CLOSED_HELP_CASE_STATUSES, ClosedHelpCaseStatus, HELP_CASE_OUTCOMES, HELP_CASE_TYPES, HelpCaseOutcome, HelpCaseType } from '../../help-cases';
import { PARTNER_PLANS, PartnerPlan } from '../../plans';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

/**
 * A case closed, whichever way: resolved at the desk, escalated to the member's plan, or
 * abandoned. Published once per case; it is the event that carries the minutes of help.
 */
export class HelpResolvedV1 {
  @IsUUID()
  caseId!: string;

  @IsOptional()
  @IsUUID()
  visitId?: string;

  @IsCenterId()
  centerId!: string;

  @IsServiceDate()
  serviceDate!: string;

  @IsIn(HELP_CASE_TYPES)
  caseType!: HelpCaseType;

  /** The status the case closed with. */
  @IsIn(CLOSED_HELP_CASE_STATUSES)
  status!: ClosedHelpCaseStatus;

  /** A resolution outcome for RESOLVED; `ESCALATED_TO_PLAN` and `ABANDONED` for the other two. */
  @IsIn(HELP_CASE_OUTCOMES)
  outcome!: HelpCaseOutcome;

  /** For ESCALATED: the plan the case was handed to. */
  @IsOptional()
  @IsIn(PARTNER_PLANS)
  escalatedTo?: PartnerPlan;

  @IsDateTime()
  openedAt!: string;

  /** When staff took the case up; absent when it was abandoned before anyone did. */
  @IsOptional()
  @IsDateTime()
  startedAt?: string;

  /** Whole minutes staff spent on the case, from `startedAt` to `occurredAt` (0 if never started); see `wholeMinutesBetween`. */
  @IsInt()
  @Min(0)
  minutesSpent!: number;

  /** When the case closed. */
  @IsDateTime()
  occurredAt!: string;

  @IsDateTime()
  recordedAt!: string;
}

export const HelpResolvedV1Event = defineEvent({
  service: 'membership',
  name: 'help-resolved',
  version: 1,
  payload: HelpResolvedV1,
  partitionKey: (data) => data.visitId ?? data.caseId,
  subject: (data) => data.caseId,
});
