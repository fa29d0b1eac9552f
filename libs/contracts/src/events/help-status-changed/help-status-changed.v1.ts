import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { HELP_CASE_STATUSES, HELP_CASE_TYPES, HelpCaseStatus, HelpCaseType } from '../../help-cases';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

/** A case moved from one status to another (every transition, including the closing one). */
export class HelpStatusChangedV1 {
  @IsUUID()
  caseId!: string;

  @IsOptional()
  @IsUUID()
  visitId?: string;

  @IsCenterId()
  centerId!: string;

  /** The service date of the case (when it was opened), whenever it changes. */
  @IsServiceDate()
  serviceDate!: string;

  @IsIn(HELP_CASE_TYPES)
  caseType!: HelpCaseType;

  @IsIn(HELP_CASE_STATUSES)
  fromStatus!: HelpCaseStatus;

  @IsIn(HELP_CASE_STATUSES)
  toStatus!: HelpCaseStatus;

  @IsDateTime()
  occurredAt!: string;

  @IsDateTime()
  recordedAt!: string;
}

export const HelpStatusChangedV1Event = defineEvent({
  service: 'membership',
  name: 'help-status-changed',
  version: 1,
  payload: HelpStatusChangedV1,
  partitionKey: (data) => data.visitId ?? data.caseId,
  subject: (data) => data.caseId,
});
