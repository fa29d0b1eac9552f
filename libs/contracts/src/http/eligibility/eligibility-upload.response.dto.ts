import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RejectedRosterRow {
  @ApiProperty({
    description:
      "1-based line number in the upload (the CSV header is line 1). X12: the segment's position in the file (ISA = 1), its line number when each segment has a line of its own.",
  })
  line!: number;

  @ApiProperty({ example: 'ROSTER.INVALID_ROW', description: '`ROSTER.INVALID_ROW`; X12: `X12.INVALID_LOOP` (the member loop was refused) or `X12.ENVELOPE`.' })
  code!: string;

  @ApiProperty({ description: 'What is wrong, by field or element, never by value.' })
  message!: string;

  @ApiPropertyOptional({ description: "X12: the segment's position in its transaction set (ST = 1), as a 999 counts (IK302)." })
  segment?: number;

  @ApiPropertyOptional({ example: 'DTP', description: 'X12: the segment id (IK301).' })
  segmentId?: string;

  @ApiPropertyOptional({ example: '2300', description: 'X12: the loop (IK303), e.g. 2000 (member), 2300 (health coverage).' })
  loop?: string;

  @ApiPropertyOptional({ example: '0001', description: 'X12: the transaction set control number (ST02).' })
  transactionSet?: string;
}

/** One transaction set, as a 999 acknowledges it (AK2/IK5). */
export class X12TransactionSetAcknowledgement {
  @ApiProperty({ example: '0001', description: 'ST02.' })
  controlNumber!: string;

  @ApiProperty({ enum: ['A', 'E', 'R'], description: 'IK501: A accepted, E accepted with member loops refused, R rejected.' })
  status!: 'A' | 'E' | 'R';

  @ApiProperty({ description: 'Member loops (2000) in the set.' })
  memberLoops!: number;

  @ApiProperty({ description: 'Member loops refused (listed in `rejectedRows`).' })
  rejectedLoops!: number;
}

/** One functional group, as a 999 acknowledges it (AK1/AK9). */
export class X12FunctionalGroupAcknowledgement {
  @ApiProperty({ example: '1', description: 'GS06.' })
  controlNumber!: string;

  @ApiProperty({ example: '005010X220A1', description: 'GS08.' })
  version!: string;

  @ApiProperty({ enum: ['A', 'E', 'P', 'R'], description: 'AK901: A accepted, E accepted with errors, P partially accepted, R rejected.' })
  status!: 'A' | 'E' | 'P' | 'R';

  @ApiProperty({ description: 'AK902: transaction sets included.' })
  transactionSetsIncluded!: number;

  @ApiProperty({ description: 'AK903: transaction sets received.' })
  transactionSetsReceived!: number;

  @ApiProperty({ description: 'AK904: transaction sets accepted (A or E).' })
  transactionSetsAccepted!: number;

  @ApiProperty({ type: X12TransactionSetAcknowledgement, isArray: true })
  transactionSets!: X12TransactionSetAcknowledgement[];
}

/** A 999-style summary of an 834 upload: which groups and transaction sets were accepted. */
export class X12Acknowledgement {
  @ApiProperty({ example: '000000905', description: 'ISA13.' })
  interchangeControlNumber!: string;

  @ApiProperty({ type: X12FunctionalGroupAcknowledgement, isArray: true })
  functionalGroups!: X12FunctionalGroupAcknowledgement[];
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
    description: 'REPLACE only: stored spans the upload no longer listed, now removed. Nothing is removed when any row was rejected.',
  })
  removed!: number;

  @ApiProperty({ format: 'uuid', description: 'Names the upload in the audit record operations keep.' })
  uploadId!: string;

  @ApiPropertyOptional({ type: X12Acknowledgement, description: 'X12 834 uploads: the 999-style acknowledgement.' })
  acknowledgement?: X12Acknowledgement;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'X12 834 uploads: this interchange (sender and ISA13) was applied before, from the same file, by that upload; nothing was applied again.',
  })
  resendOf?: string;
}
