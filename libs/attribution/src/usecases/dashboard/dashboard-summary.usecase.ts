import { Inject, Injectable } from '@nestjs/common';
import { DASHBOARD_MAX_RANGE_DAYS, DashboardSummary, DomainError, ISO_DATE_PATTERN, serviceDateOf } from '@crc/contracts';
import { CenterDirectory } from '@crc/platform';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { summariseDashboard } from '../../domain/dashboard-summary';
import { DashboardTallyRepository } from '../../persistence/dashboard-tally.repository';
import { ATTRIBUTION_POLICY } from '../attribute-visit/attribute-visit.usecase';

export class InvalidDashboardRangeError extends DomainError {
  constructor(problem: string) {
    super('DASHBOARD.INVALID_RANGE', `The date range is not valid: ${problem}.`, 'INVALID', [{ field: 'from/to', problems: [problem] }]);
  }
}

/** The operations dashboard for a range of service dates (today by default), network-wide and per center, from the dashboard's tallies. */
@Injectable()
export class DashboardSummaryUseCase {
  constructor(
    private readonly tallies: DashboardTallyRepository,
    private readonly centers: CenterDirectory,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
  ) {}

  async execute(fromParam?: string, toParam?: string, now = new Date()): Promise<DashboardSummary> {
    const today = serviceDateOf(now);
    const from = fromParam ?? today;
    const to = toParam ?? from;
    if (!ISO_DATE_PATTERN.test(from) || !ISO_DATE_PATTERN.test(to)) throw new InvalidDashboardRangeError('from and to must be dates as YYYY-MM-DD');
    if (to < from) throw new InvalidDashboardRangeError('to is before from');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > DASHBOARD_MAX_RANGE_DAYS)
      throw new InvalidDashboardRangeError(`\`to\` at most ${DASHBOARD_MAX_RANGE_DAYS} days after \`from\``);
    // One small summary per center and day, kept as events are applied: never the visits themselves.
    const days = await this.tallies.summariesBetween(from, to);
    return summariseDashboard({
      from,
      to,
      today,
      now,
      centers: this.centers.all().map((c) => ({ centerId: c.centerId, name: c.name })),
      days,
      communityShares: this.policy.communityShares,
    });
  }
}
