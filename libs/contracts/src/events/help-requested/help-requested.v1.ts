import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { HELP_CASE_TYPES, HELP_REQUEST_CHANNELS, HelpCaseType, HelpRequestChannel } from '../../help-cases';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

/** A visitor asked for help with their plan: a case joined the center's queue. Notes are never part of any event. */
export class HelpRequestedV1 {
  @IsUUID()
  caseId!: string;

  /** The visit the case belongs to; absent for a walk-in who did not check in. */
  @IsOptional()
  @IsUUID()
  visitId?: string;

  @IsCenterId()
  centerId!: string;

  /** The date the case was opened, in America/Los_Angeles. */
  @IsServiceDate()
  serviceDate!: string;

  @IsIn(HELP_CASE_TYPES)
  caseType!: HelpCaseType;

  @IsIn(HELP_REQUEST_CHANNELS)
  requestedVia!: HelpRequestChannel;

  /** When the case was opened. */
  @IsDateTime()
  occurredAt!: string;

  /** When the membership service stored it (the service takes no client times: equal to `occurredAt`). */
  @IsDateTime()
  recordedAt!: string;
}

export const HelpRequestedV1Event = defineEvent({
  service: 'membership',
  name: 'help-requested',
  version: 1,
  payload: HelpRequestedV1,
  // With the visit's other events when there is a visit, so consumers see them in order.
  partitionKey: (data) => data.visitId ?? data.caseId,
  subject: (data) => data.caseId,
});
