import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const HELP_CASE_NOTE_MAX_LENGTH = 2000;

const NOTE_DESCRIPTION =
  'Free text for the staff working the case. May hold PHI: it is stored with the case, shown to staff only, and never published, logged or echoed in write responses.';

export class AddHelpCaseNoteRequest {
  @ApiProperty({ description: NOTE_DESCRIPTION, example: 'Renewal packet filled in; proof of address still missing.', maxLength: HELP_CASE_NOTE_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(HELP_CASE_NOTE_MAX_LENGTH)
  note!: string;
}

/** The optional note every closing action may carry. */
export abstract class WithOptionalNote {
  @ApiPropertyOptional({ description: `Added to the case's notes. ${NOTE_DESCRIPTION}`, maxLength: HELP_CASE_NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(HELP_CASE_NOTE_MAX_LENGTH)
  note?: string;
}
