import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SELF_REPORTED_PLANS, SelfReportedPlan } from '../../plans';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';

export class VisitResponse {
  @ApiProperty({ format: 'uuid' })
  visitId!: string;

  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ enum: ['OPEN', 'CHECKED_OUT'] })
  status!: 'OPEN' | 'CHECKED_OUT';

  @ApiProperty({ example: '2026-11-28', description: 'Calendar date of the check-in in America/Los_Angeles.' })
  serviceDate!: string;

  @ApiProperty({ format: 'date-time' })
  checkedInAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  checkedOutAt?: string;

  @ApiProperty({ description: 'Whether the visitor gave a member id (the id itself is not echoed).' })
  memberIdGiven!: boolean;

  @ApiProperty({ enum: SELF_REPORTED_PLANS })
  selfReportedPlan!: SelfReportedPlan;

  @ApiProperty({ enum: VISIT_PURPOSES, isArray: true })
  purposes!: VisitPurpose[];
}
