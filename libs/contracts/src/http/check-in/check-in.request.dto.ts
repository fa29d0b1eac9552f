import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { SELF_REPORTED_PLANS, SelfReportedPlan } from '../../plans';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';
import { IsDateTime } from '../../events/common.validators';

/** Loose on purpose: checked again, strictly, after the service trims and upper-cases it. */
const MEMBER_ID_INPUT_PATTERN = /^\s*[A-Za-z0-9-]{3,32}\s*$/;
const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

export class VisitorInput {
  @ApiPropertyOptional({
    description: 'Plan member id or Medi-Cal CIN (8 digits and a letter), as the visitor gives it. Trimmed and upper-cased by the service. PHI.',
    example: '91234567A',
    maxLength: 40,
    pattern: MEMBER_ID_INPUT_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  // Checked again after normalisation; this rejects obvious garbage early.
  @Matches(MEMBER_ID_INPUT_PATTERN, { message: 'memberId must be 3 to 32 letters, digits or dashes' })
  memberId?: string;

  @ApiPropertyOptional({ enum: SELF_REPORTED_PLANS, default: 'NONE', description: 'The plan the visitor says they belong to.' })
  @IsOptional()
  @IsIn(SELF_REPORTED_PLANS)
  selfReportedPlan?: SelfReportedPlan;

  @ApiPropertyOptional({ description: 'BCP 47 language tag.', example: 'es', maxLength: 35, pattern: LANGUAGE_TAG_PATTERN.source })
  @IsOptional()
  @Matches(LANGUAGE_TAG_PATTERN, { message: 'preferredLanguage must be a BCP 47 tag such as es or zh-Hant' })
  preferredLanguage?: string;
}

export class CheckInRequest {
  @ApiPropertyOptional({ type: VisitorInput, description: 'Omit for an anonymous community visitor.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitorInput)
  visitor?: VisitorInput;

  @ApiProperty({ enum: VISIT_PURPOSES, isArray: true, minItems: 1, maxItems: VISIT_PURPOSES.length, uniqueItems: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(VISIT_PURPOSES.length)
  @ArrayUnique()
  @IsIn(VISIT_PURPOSES, { each: true })
  purposes!: VisitPurpose[];

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "When the visitor checked in, by the kiosk's clock; now when absent. Its date in America/Los_Angeles is the visit's service date. " +
      'Refused when later than now plus the clock-skew allowance (5 minutes) or older than the look-back window (90 days).',
  })
  @IsOptional()
  @IsDateTime()
  occurredAt?: string;
}
