import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  HELP_CASE_OUTCOMES,
  HELP_CASE_STATUSES,
  HELP_CASE_TYPES,
  HELP_REQUEST_CHANNELS,
  HelpCaseOutcome,
  HelpCaseStatus,
  HelpCaseType,
  HelpRequestChannel,
} from '../../help-cases';
import { PARTNER_PLANS, PartnerPlan } from '../../plans';

export class HelpCaseNoteResponse {
  @ApiProperty({ format: 'uuid' })
  noteId!: string;

  @ApiProperty({ description: 'May hold PHI; staff only.' })
  note!: string;

  @ApiProperty({ format: 'date-time' })
  addedAt!: string;

  @ApiProperty({ description: 'The credential that added it.', example: 'staff:crc-el-monte:0' })
  addedBy!: string;
}

export class HelpCaseResponse {
  @ApiProperty({ format: 'uuid' })
  caseId!: string;

  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Absent for a walk-in without a visit.' })
  visitId?: string;

  @ApiProperty({ enum: HELP_CASE_TYPES })
  caseType!: HelpCaseType;

  @ApiProperty({ enum: HELP_CASE_STATUSES })
  status!: HelpCaseStatus;

  @ApiProperty({ example: '2026-11-28', description: 'The date the case was opened, in America/Los_Angeles.' })
  serviceDate!: string;

  @ApiProperty({ enum: HELP_REQUEST_CHANNELS })
  requestedVia!: HelpRequestChannel;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiPropertyOptional({ example: 'maria.g' })
  assignee?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When staff first took the case up.' })
  startedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  closedAt?: string;

  @ApiPropertyOptional({ enum: HELP_CASE_OUTCOMES })
  outcome?: HelpCaseOutcome;

  @ApiPropertyOptional({ enum: PARTNER_PLANS })
  escalatedTo?: PartnerPlan;

  @ApiPropertyOptional({ description: 'For a closed case: whole minutes staff spent on it, as published in `help-resolved`.' })
  minutesSpent?: number;

  @ApiPropertyOptional({ description: 'How many notes the case has (not given in the queue).' })
  noteCount?: number;

  @ApiPropertyOptional({ type: HelpCaseNoteResponse, isArray: true, description: 'Only when staff read the case (GET); never in write responses.' })
  notes?: HelpCaseNoteResponse[];
}

export class HelpQueueItem extends HelpCaseResponse {
  @ApiProperty({ description: 'Seconds since the case was opened.', example: 420 })
  waitingSeconds!: number;
}

export class HelpQueueResponse {
  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ format: 'date-time', description: 'The instant the waiting times are measured at.' })
  asOf!: string;

  @ApiProperty({ type: HelpQueueItem, isArray: true, description: 'OPEN and IN_PROGRESS cases, oldest first; without notes.' })
  items!: HelpQueueItem[];
}
