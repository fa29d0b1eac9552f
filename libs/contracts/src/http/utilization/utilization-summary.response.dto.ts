import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const COUNT_DESCRIPTION = 'Null when suppressed: a count below 11 (zero included) is never published.';
const TOTAL_DESCRIPTION =
  'Null (suppressed) whenever any cell it covers is suppressed, so that no hidden cell can be worked out by subtraction, ' +
  'in one read or between two reads.';

export class SummaryRow {
  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ example: 'MEDI_CAL', description: '`UNVERIFIED` for self-reported visits (no roster match).' })
  productLine!: string;

  @ApiProperty({ example: 'EXERCISE_CLASS', description: 'The service (visit purpose); a visit with two purposes counts in both rows.' })
  service!: string;

  @ApiProperty({ nullable: true, type: Number, description: COUNT_DESCRIPTION })
  visits!: number | null;

  @ApiProperty()
  suppressed!: boolean;
}

export class CommunityRow {
  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ nullable: true, type: Number, description: `Community visits at the center. ${COUNT_DESCRIPTION}` })
  visits!: number | null;

  @ApiProperty()
  suppressed!: boolean;

  @ApiProperty({ nullable: true, type: Number, description: "This plan's share of those visits for the cost split (visits × share)." })
  planShare!: number | null;
}

export class CommunityTotal {
  @ApiProperty({ nullable: true, type: Number, description: `Community visits at all centers. ${TOTAL_DESCRIPTION}` })
  visits!: number | null;

  @ApiProperty()
  suppressed!: boolean;

  @ApiProperty({ nullable: true, type: Number, description: "This plan's share of them (visits × share); null when suppressed." })
  planShare!: number | null;
}

export class UtilizationSummary {
  @ApiProperty({ example: 'LA_CARE' })
  plan!: string;

  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({
    type: SummaryRow,
    isArray: true,
    description: 'Every center × product line × service, whether it had visits or not: which rows are listed never depends on the visits.',
  })
  rows!: SummaryRow[];

  @ApiProperty({ type: CommunityRow, isArray: true, description: 'Every center, whether it had community visits or not.' })
  community!: CommunityRow[];

  @ApiProperty({ description: "This plan's configured share of community visits, in percent.", example: 50 })
  communitySharePercent!: number;

  @ApiProperty({ nullable: true, type: Number, description: `The plan's visits in the month. ${TOTAL_DESCRIPTION}` })
  totalVisits!: number | null;

  @ApiProperty({ type: CommunityTotal })
  communityTotal!: CommunityTotal;

  @ApiPropertyOptional({ example: 11 })
  suppressionThreshold!: number;
}
