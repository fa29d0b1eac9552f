import { ApiProperty } from '@nestjs/swagger';

export class RejectedRosterRow {
  @ApiProperty({ description: '1-based line number in the upload (the CSV header is line 1).' })
  line!: number;

  @ApiProperty({ example: 'ROSTER.INVALID_ROW' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class ReattributionSummary {
  @ApiProperty({ description: 'Visits inside the look-back window whose visitor the upload concerns.' })
  visitsChecked!: number;

  @ApiProperty({ description: 'Of those, visits whose attribution changed: each is a correction in the feeds.' })
  revisions!: number;
}

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

  @ApiProperty({ format: 'uuid' })
  uploadId!: string;

  @ApiProperty({ type: ReattributionSummary, description: 'Visits attributed again because of this upload.' })
  reattribution!: ReattributionSummary;
}
