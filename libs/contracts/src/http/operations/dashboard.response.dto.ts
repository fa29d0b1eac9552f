import { ApiProperty } from '@nestjs/swagger';

/** The longest range of service dates one dashboard read covers, in days between `from` and `to`. */
export const DASHBOARD_MAX_RANGE_DAYS = 366;

class HourCount {
  @ApiProperty({ minimum: 0, maximum: 23, description: 'Hour of check-in, Los Angeles time.' })
  hour!: number;

  @ApiProperty({ minimum: 0 })
  count!: number;
}

/** Exact figures: operations are the centers' own staff. No member identifiers, ever. */
export class DashboardTile {
  @ApiProperty({ minimum: 0 })
  visits!: number;

  @ApiProperty({ minimum: 0, description: 'Unduplicated across centers by member id; anonymous visitors count once per visit.' })
  uniqueVisitors!: number;

  @ApiProperty({ example: { LA_CARE: 12, BLUE_SHIELD_PROMISE: 4, COMMUNITY: 3 } })
  visitsPerPlan!: Record<'LA_CARE' | 'BLUE_SHIELD_PROMISE' | 'COMMUNITY', number>;

  @ApiProperty({ description: 'By visit purpose.', example: { EXERCISE_CLASS: 5 } })
  visitsPerService!: Record<string, number>;

  @ApiProperty({ type: HourCount, isArray: true })
  visitsPerHour!: HourCount[];

  @ApiProperty({ minimum: 0, description: "Today's visits not checked out yet." })
  openVisitsNow!: number;

  @ApiProperty({ example: { sessionsInProgress: 0, minutes: 340 } })
  wifi!: { sessionsInProgress: number; minutes: number };

  @ApiProperty({ example: { backlog: 0, medianResolutionMinutes: 18 }, description: '`medianResolutionMinutes` is null while no case is resolved.' })
  membershipHelp!: { backlog: number; medianResolutionMinutes: number | null };

  @ApiProperty({
    description: 'Community visits and each plan’s share of them (configured split).',
    example: { communityVisits: 3, LA_CARE: 1.5, BLUE_SHIELD_PROMISE: 1.5 },
  })
  sharedCost!: { communityVisits: number; LA_CARE: number; BLUE_SHIELD_PROMISE: number };
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

  @ApiProperty({ type: DashboardTile })
  network!: DashboardTile;

  @ApiProperty({ type: CenterTile, isArray: true })
  centers!: CenterTile[];
}
