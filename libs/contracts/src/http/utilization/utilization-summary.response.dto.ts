import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const COUNT_DESCRIPTION = 'Null when suppressed: counts from 1 to 10 are never published.';

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

export class UtilizationSummary {
  @ApiProperty({ example: 'LA_CARE' })
  plan!: string;

  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({ type: SummaryRow, isArray: true })
  rows!: SummaryRow[];

  @ApiProperty({ type: CommunityRow, isArray: true })
  community!: CommunityRow[];

  @ApiProperty({ description: "This plan's configured share of community visits, in percent.", example: 50 })
  communitySharePercent!: number;

  @ApiProperty({ nullable: true, type: Number, description: `The plan's visits in the month. ${COUNT_DESCRIPTION}` })
  totalVisits!: number | null;

  @ApiPropertyOptional({ example: 11 })
  suppressionThreshold!: number;
}
