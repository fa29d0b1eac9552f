import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { HELP_RESOLUTION_OUTCOMES, HelpResolutionOutcome } from '../../help-cases';
import { PARTNER_PLANS, PartnerPlan } from '../../plans';
import { WithOptionalNote } from './help-case-note.dto';

export const ASSIGNEE_PATTERN = /^[A-Za-z0-9._@:-]{1,64}$/;

export class AssignHelpCaseRequest {
  @ApiPropertyOptional({
    description: "Who works the case: a staff handle (letters, digits, `._@:-`, up to 64). Defaults to the calling staff credential's id.",
    example: 'maria.g',
    pattern: ASSIGNEE_PATTERN.source,
  })
  @IsOptional()
  @Matches(ASSIGNEE_PATTERN, { message: 'assignee must be 1 to 64 letters, digits, dots, dashes, colons, @ or underscores' })
  assignee?: string;
}

export class ResolveHelpCaseRequest extends WithOptionalNote {
  @ApiProperty({
    enum: HELP_RESOLUTION_OUTCOMES,
    example: 'SUBMITTED',
    description:
      'RESOLVED: done at the desk. SUBMITTED: an application or request was filed and awaits the plan or the county. ' +
      'REFERRED: sent to someone else who can help. INFORMATION_PROVIDED: a question answered.',
  })
  @IsIn(HELP_RESOLUTION_OUTCOMES)
  outcome!: HelpResolutionOutcome;
}

export class EscalateHelpCaseRequest extends WithOptionalNote {
  @ApiProperty({ enum: PARTNER_PLANS, example: 'LA_CARE', description: "The member's plan, which takes the case over." })
  @IsIn(PARTNER_PLANS)
  plan!: PartnerPlan;
}

export class AbandonHelpCaseRequest extends WithOptionalNote {}
