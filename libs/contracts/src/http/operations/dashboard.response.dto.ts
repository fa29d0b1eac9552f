import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PublishedCount } from '../../privacy';

class PublishedCountDto implements PublishedCount {
  @ApiProperty({ nullable: true, type: Number, description: 'Null when suppressed (1 to 10).' })
  count!: number | null;

  @ApiProperty()
  suppressed!: boolean;
}

class HourCount extends PublishedCountDto {
  @ApiProperty({ minimum: 0, maximum: 23, description: 'Hour of check-in, Los Angeles time.' })
  hour!: number;
}

export class DashboardTile {
  @ApiProperty({ type: PublishedCountDto })
  visits!: PublishedCount;

  @ApiProperty({ type: PublishedCountDto, description: 'Unduplicated across centers by member id; anonymous visitors count once per visit.' })
  uniqueVisitors!: PublishedCount;

  @ApiProperty({ example: { LA_CARE: { count: 12, suppressed: false } } })
  visitsPerPlan!: Record<'LA_CARE' | 'BLUE_SHIELD_PROMISE' | 'COMMUNITY', PublishedCount>;

  @ApiProperty({ description: 'By visit purpose.' })
  visitsPerService!: Record<string, PublishedCount>;

  @ApiProperty({ type: HourCount, isArray: true })
  visitsPerHour!: Array<PublishedCount & { hour: number }>;

  @ApiProperty({ type: PublishedCountDto, description: "Today's visits not checked out yet." })
  openVisitsNow!: PublishedCount;

  @ApiProperty({ example: { sessionsInProgress: { count: 0, suppressed: false }, minutes: 340 } })
  wifi!: { sessionsInProgress: PublishedCount; minutes: number | null };

  @ApiProperty({ example: { backlog: { count: 0, suppressed: false }, medianResolutionMinutes: 18 } })
  membershipHelp!: { backlog: PublishedCount; medianResolutionMinutes: number | null };

  @ApiProperty({ description: 'Community visits and each plan’s share of them (configured split).' })
  sharedCost!: { communityVisits: PublishedCount; LA_CARE: number | null; BLUE_SHIELD_PROMISE: number | null };
}

export class CenterTile extends DashboardTile {
  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ example: 'El Monte' })
  name!: string;
}

export class DashboardSummary {
  @ApiProperty({ example: '2026-11-28' })
  from!: string;

  @ApiProperty({ example: '2026-11-28' })
  to!: string;

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiPropertyOptional({ example: 11 })
  suppressionThreshold!: number;

  @ApiProperty({ type: DashboardTile })
  network!: DashboardTile;

  @ApiProperty({ type: CenterTile, isArray: true })
  centers!: CenterTile[];
}
