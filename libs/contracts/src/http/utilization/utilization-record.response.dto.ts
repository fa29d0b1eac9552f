import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTRIBUTED_PLANS, AttributedPlan } from '../../plans';
import { ATTRIBUTION_BASES, ATTRIBUTION_FLAGS, AttributionBasis, AttributionFlag } from '../../attribution';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';

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
    description: 'Membership-help cases of the visit: type, outcome once closed, minutes spent.',
    example: [{ caseType: 'ENROLMENT_OR_RENEWAL', outcome: 'SUBMITTED', minutes: 25 }],
  })
  membershipHelp?: Array<{ caseType: string; outcome?: string; minutes?: number }>;

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
