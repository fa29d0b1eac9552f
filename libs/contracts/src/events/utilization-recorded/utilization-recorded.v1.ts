import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { ATTRIBUTION_BASES, ATTRIBUTION_FLAGS, AttributionBasis, AttributionFlag } from '../../attribution';
import { MEMBER_ID_PATTERN } from '../../member-id';
import { ATTRIBUTED_PLANS, AttributedPlan, PARTNER_PLANS, PartnerPlan } from '../../plans';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent, EventDefinition } from '../event-definition';

export class HelpCaseSummaryV1 {
  @IsString()
  @MaxLength(60)
  caseType!: string;

  @IsOptional()
  @IsString()
  @MaxLength(60)
  outcome?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  minutes?: number;
}

/**
 * One entry of a plan's utilization feed, as published to the plan's own topic: an attributed
 * visit, or a correction of an earlier entry (`supersedes`). PHI (`memberId`): each plan's topic
 * carries its own members only.
 */
export class UtilizationRecordedV1 {
  @Matches(/^[0-9a-f-]{36}:\d+$/)
  recordId!: string;

  @IsUUID()
  visitId!: string;

  @IsInt()
  @Min(1)
  revision!: number;

  @IsOptional()
  @Matches(/^[0-9a-f-]{36}:\d+$/)
  supersedes?: string;

  @IsIn(['ACTIVE', 'VOIDED'])
  status!: 'ACTIVE' | 'VOIDED';

  /** Whose feed this entry is in. */
  @IsIn(PARTNER_PLANS)
  feedPlan!: PartnerPlan;

  @IsCenterId()
  centerId!: string;

  @IsServiceDate()
  serviceDate!: string;

  @IsIn(ATTRIBUTED_PLANS)
  plan!: AttributedPlan;

  @IsIn(ATTRIBUTION_BASES)
  basis!: AttributionBasis;

  @IsOptional()
  @IsString()
  @MaxLength(60)
  productLine?: string;

  @IsOptional()
  @IsString()
  @MaxLength(60)
  planPartner?: string;

  /**
   * An open list: consumers skip flags they do not know. Rule version 2 added
   * `DUAL_COVERAGE_RESOLVED` (a record that follows operations' resolution of a conflict).
   */
  @IsArray()
  @IsIn(ATTRIBUTION_FLAGS, { each: true })
  flags!: AttributionFlag[];

  @IsInt()
  @Min(1)
  ruleVersion!: number;

  @IsOptional()
  @Matches(MEMBER_ID_PATTERN)
  memberId?: string;

  @IsArray()
  @IsIn(VISIT_PURPOSES, { each: true })
  purposes!: VisitPurpose[];

  @IsDateTime()
  checkedInAt!: string;

  @IsOptional()
  @IsDateTime()
  checkedOutAt?: string;

  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => HelpCaseSummaryV1)
  membershipHelp?: HelpCaseSummaryV1[];

  @IsOptional()
  @IsInt()
  @Min(0)
  telehealthWifiMinutes?: number;
}

const planTopicName = (plan: PartnerPlan) => `utilization.${plan.toLowerCase().replace(/_/g, '-')}`;

/** One outbound topic per plan: `crc.reporting.utilization.la-care.v1`, `crc.reporting.utilization.blue-shield-promise.v1`. */
export const UtilizationRecordedV1Events: Record<PartnerPlan, EventDefinition<UtilizationRecordedV1>> = {
  LA_CARE: defineEvent({ service: 'reporting', name: planTopicName('LA_CARE'), version: 1, payload: UtilizationRecordedV1, partitionKey: (d) => d.visitId }),
  BLUE_SHIELD_PROMISE: defineEvent({
    service: 'reporting',
    name: planTopicName('BLUE_SHIELD_PROMISE'),
    version: 1,
    payload: UtilizationRecordedV1,
    partitionKey: (d) => d.visitId,
  }),
};
