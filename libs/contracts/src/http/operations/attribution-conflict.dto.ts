import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ATTRIBUTED_PLANS, AttributedPlan, PARTNER_PLANS, PartnerPlan } from '../../plans';

export class ConflictSide {
  @ApiProperty({ enum: PARTNER_PLANS })
  plan!: PartnerPlan;

  @ApiProperty({ example: 'MEDI_CAL', description: "The product line this plan's roster names for the visitor." })
  productLine!: string;
}

export class ConflictResolutionView {
  @ApiProperty({ enum: PARTNER_PLANS })
  plan!: PartnerPlan;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ description: 'The operations credential that resolved it.' })
  resolvedBy!: string;

  @ApiProperty({ format: 'date-time' })
  resolvedAt!: string;
}

/** One visit in the operations review queue (no member identifiers). */
export class AttributionConflictView {
  @ApiProperty({ format: 'uuid' })
  visitId!: string;

  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ example: '2026-11-28' })
  serviceDate!: string;

  @ApiProperty({
    enum: ['WAITING', 'RESOLVED', 'CLEARED'],
    description: 'WAITING for operations; RESOLVED by operations or by configured precedence; CLEARED: one plan withdrew its coverage.',
  })
  status!: 'WAITING' | 'RESOLVED' | 'CLEARED';

  @ApiProperty({ type: ConflictSide, isArray: true, description: 'Both plans and the product line each roster names.' })
  plans!: ConflictSide[];

  @ApiProperty({
    enum: ATTRIBUTED_PLANS,
    description:
      'The plan the visit has now. While waiting: the plan whose feed already had it on eligibility, else COMMUNITY (no plan; counted as a community visit).',
  })
  currentPlan!: AttributedPlan;

  @ApiProperty({ format: 'date-time', description: 'When the conflict began.' })
  since!: string;

  @ApiPropertyOptional({ type: ConflictResolutionView, description: "Operations' choice, if made." })
  resolution?: ConflictResolutionView;

  @ApiPropertyOptional({ enum: PARTNER_PLANS, description: 'Set when configured precedence (`ATTRIBUTION_CONFLICT_PRECEDENCE`) resolved it.' })
  resolvedByPrecedence?: PartnerPlan;
}

export class AttributionConflictPage {
  @ApiProperty({ type: AttributionConflictView, isArray: true })
  items!: AttributionConflictView[];
}

export class ResolveAttributionConflictRequest {
  @ApiProperty({ enum: PARTNER_PLANS, description: 'The plan the visit goes to.' })
  @IsString()
  plan!: string;

  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Plan confirmed primary coverage by phone, ticket 4411' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

/** One roster upload in the audit list. */
export class RosterUploadAuditView {
  @ApiProperty({ format: 'uuid' })
  uploadId!: string;

  @ApiProperty({ enum: PARTNER_PLANS })
  plan!: PartnerPlan;

  @ApiProperty({ enum: ['REPLACE', 'MERGE', 'INVALID'] })
  mode!: 'REPLACE' | 'MERGE' | 'INVALID';

  @ApiProperty({ enum: ['ndjson', 'csv', 'x12-834', 'unknown'] })
  format!: string;

  @ApiProperty({ description: 'The credential id of the token the upload came with.' })
  uploadedBy!: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiProperty({
    enum: ['RECEIVING', 'REFUSED', 'REATTRIBUTING', 'DONE'],
    description: 'REATTRIBUTING: stored, visits being attributed again in the background; DONE: that finished.',
  })
  status!: string;

  @ApiPropertyOptional({ example: 'ACCEPTED', description: '`ACCEPTED`, the error code the plan was answered, or `INTERRUPTED`.' })
  outcome?: string;

  @ApiProperty({ description: 'Lines stored.' })
  accepted!: number;

  @ApiProperty({ description: 'Lines refused.' })
  rejected!: number;

  @ApiProperty({ description: 'Spans removed (REPLACE).' })
  removed!: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'When its visits had been attributed again.' })
  reattributedAt?: string;
}

export class RosterUploadAuditPage {
  @ApiProperty({ type: RosterUploadAuditView, isArray: true })
  items!: RosterUploadAuditView[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Pass as `before` for the next (older) page; absent on the last page.' })
  nextBefore?: string;
}
