import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { HELP_CASE_TYPES, HelpCaseType } from '../../help-cases';

export class OpenHelpCaseRequest {
  @ApiProperty({ enum: HELP_CASE_TYPES, example: 'ENROLMENT_OR_RENEWAL', description: 'What the visitor needs help with.' })
  @IsIn(HELP_CASE_TYPES)
  caseType!: HelpCaseType;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10',
    description: 'The visit from the check-in service; omit for a walk-in without one. Its events are then keyed by the case id.',
  })
  @IsOptional()
  @IsUUID()
  visitId?: string;
}
