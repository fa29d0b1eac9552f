import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MEMBER_ID_PATTERN, MemberIdType } from '../../member-id';
import { SELF_REPORTED_PLANS, SelfReportedPlan } from '../../plans';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

export class VisitorV1 {
  /** Normalised (trimmed, upper-case). PHI: never logged. */
  @IsOptional()
  @Matches(MEMBER_ID_PATTERN)
  memberId?: string;

  @IsOptional()
  @IsIn(['MEDI_CAL_CIN', 'PLAN_MEMBER_ID'])
  memberIdType?: MemberIdType;

  @IsIn(SELF_REPORTED_PLANS)
  selfReportedPlan!: SelfReportedPlan;

  /** BCP 47 tag, e.g. `es`, `zh-Hant`. */
  @IsOptional()
  @IsString()
  @MaxLength(35)
  preferredLanguage?: string;
}

export class VisitCheckedInV1 {
  @IsUUID()
  visitId!: string;

  @IsCenterId()
  centerId!: string;

  /** The check-in's calendar date in America/Los_Angeles, from `occurredAt`. */
  @IsServiceDate()
  serviceDate!: string;

  /** When the visitor checked in, by the kiosk's clock (may be long before `recordedAt` after an outage). */
  @IsDateTime()
  occurredAt!: string;

  /** When the check-in service stored it. */
  @IsDateTime()
  recordedAt!: string;

  @ValidateNested()
  @Type(() => VisitorV1)
  visitor!: VisitorV1;

  @ArrayMinSize(1)
  @ArrayMaxSize(VISIT_PURPOSES.length)
  @ArrayUnique()
  @IsIn(VISIT_PURPOSES, { each: true })
  purposes!: VisitPurpose[];
}

export const VisitCheckedInV1Event = defineEvent({
  service: 'checkin',
  name: 'visit-checked-in',
  version: 1,
  payload: VisitCheckedInV1,
  partitionKey: (data) => data.visitId,
});
