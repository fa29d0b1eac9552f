import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTRIBUTED_PLANS, AttributedPlan } from '../../plans';
import { ATTRIBUTION_BASES, ATTRIBUTION_FLAGS, AttributionBasis, AttributionFlag } from '../../attribution';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';
import { HELP_CASE_OUTCOMES, HELP_CASE_TYPES } from '../../help-cases';

/** One membership-help case of a visit, as the feed carries it (CSV: `caseType:outcome:minutes`). */
export class UtilizationHelpCase {
  @ApiProperty({ description: `Why the visitor asked for help: ${HELP_CASE_TYPES.join(', ')}.`, example: 'ENROLMENT_OR_RENEWAL', maxLength: 60 })
  caseType!: string;

  @ApiPropertyOptional({ description: `How the case closed, once it has: ${HELP_CASE_OUTCOMES.join(', ')}.`, example: 'SUBMITTED', maxLength: 60 })
  outcome?: string;

  @ApiPropertyOptional({ description: 'Whole minutes staff spent on the case, once it has closed.', minimum: 0, example: 25, type: 'integer' })
  minutes?: number;
}

export class UtilizationRecord {
  @ApiProperty({ description: 'Unique per revision: `<visitId>:<revision>`.', example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427:1' })
  recordId!: string;

  @ApiProperty({ format: 'uuid' })
  visitId!: string;

  @ApiProperty({ description: 'Attribution revision of the visit; 1 for the first record, higher for corrections.', minimum: 1 })
  revision!: number;

  @ApiPropertyOptional({ description: 'The recordId this record corrects, when it is a correction.' })
  supersedes?: string;

  @ApiProperty({
    enum: ['ACTIVE', 'VOIDED'],
    description: 'VOIDED: the visit is no longer attributed to this plan (see the superseded record).',
  })
  status!: 'ACTIVE' | 'VOIDED';

  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ example: '2026-11-28' })
  serviceDate!: string;

  @ApiProperty({ enum: ATTRIBUTED_PLANS })
  plan!: AttributedPlan;

  @ApiProperty({ enum: ATTRIBUTION_BASES })
  basis!: AttributionBasis;

  @ApiPropertyOptional({ example: 'MEDI_CAL' })
  productLine?: string;

  @ApiPropertyOptional({ description: 'The L.A. Care plan partner serving the member, when there is one.', example: 'BLUE_SHIELD_PROMISE' })
  planPartner?: string;

  @ApiProperty({ enum: ATTRIBUTION_FLAGS, isArray: true })
  flags!: AttributionFlag[];

  @ApiProperty({ example: 1 })
  ruleVersion!: number;

  @ApiPropertyOptional({ description: "The plan's member id (or CIN) the visitor gave. PHI." })
  memberId?: string;

  @ApiProperty({ enum: VISIT_PURPOSES, isArray: true })
  purposes!: VisitPurpose[];

  @ApiProperty({ format: 'date-time' })
  checkedInAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  checkedOutAt?: string;

  @ApiPropertyOptional({
    type: UtilizationHelpCase,
    isArray: true,
    description: 'Membership-help cases of the visit: type, outcome once closed, minutes spent. Absent when the visit had none.',
  })
  membershipHelp?: UtilizationHelpCase[];

  @ApiPropertyOptional({ description: 'Minutes of telehealth Wi-Fi used during the visit (ended sessions).', example: 42 })
  telehealthWifiMinutes?: number;

  @ApiProperty({ format: 'date-time', description: 'When this record entered the feed.' })
  publishedAt!: string;
}

export class UtilizationPage {
  @ApiProperty({ type: UtilizationRecord, isArray: true })
  items!: UtilizationRecord[];

  @ApiProperty({ description: 'Pass as `since` to read on from here; present even on an empty page, so pollers keep their place.' })
  nextCursor!: string;

  @ApiProperty({ description: 'More items are already waiting after this page.' })
  hasMore!: boolean;
}
