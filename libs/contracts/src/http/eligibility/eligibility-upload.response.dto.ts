import { ApiProperty } from '@nestjs/swagger';

export class RejectedRosterRow {
  @ApiProperty({ description: '1-based line number in the upload (the CSV header is line 1).' })
  line!: number;

  @ApiProperty({ example: 'ROSTER.INVALID_ROW' })
  code!: string;

  @ApiProperty()
  message!: string;
}

/**
 * The answer to a roster upload: about the upload's own lines only. Visits are attributed again
 * after the answer, so nothing here (nor its timing) depends on who visited.
 */
export class EligibilityUploadResponse {
  @ApiProperty({ example: 'LA_CARE' })
  plan!: string;

  @ApiProperty({ enum: ['REPLACE', 'MERGE'] })
  mode!: 'REPLACE' | 'MERGE';

  @ApiProperty({ description: 'Rows stored.' })
  accepted!: number;

  @ApiProperty({ description: 'Rows refused; each is listed in `rejectedRows` (up to the first 1000).' })
  rejected!: number;

  @ApiProperty({ type: RejectedRosterRow, isArray: true })
  rejectedRows!: RejectedRosterRow[];

  @ApiProperty({
    description:
      'REPLACE only: stored spans the upload no longer listed, now removed. Nothing is removed when any row was rejected.',
  })
  removed!: number;

  @ApiProperty({ format: 'uuid', description: 'Names the upload in the audit record operations keep.' })
  uploadId!: string;
}
