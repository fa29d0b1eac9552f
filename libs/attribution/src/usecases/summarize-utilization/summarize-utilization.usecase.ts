import { Inject, Injectable } from '@nestjs/common';
import { DomainError, PartnerPlan, UtilizationSummary } from '@crc/contracts';
import { ProductLineCatalog } from '@crc/eligibility';
import { CenterDirectory } from '@crc/platform';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { summarise } from '../../domain/utilization-summary';
import { DisclosureLedger } from '../../persistence/disclosure-ledger.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { ATTRIBUTION_POLICY } from '../attribute-visit/attribute-visit.usecase';

export class InvalidMonthError extends DomainError {
  constructor() {
    super('SUMMARY.INVALID_MONTH', 'month must be YYYY-MM.', 'INVALID', [{ field: 'month', problems: ['must be YYYY-MM'] }]);
  }
}

/**
 * A plan's monthly utilization, by center, product line and service: counts only, under
 * complementary suppression (domain/complementary-suppression.ts). The grid comes from the
 * center directory and the plan's product lines, so the rows listed never depend on the visits.
 */
@Injectable()
export class SummarizeUtilizationUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly ledger: DisclosureLedger,
    private readonly centers: CenterDirectory,
    private readonly productLines: ProductLineCatalog,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
  ) {}

  async execute(plan: PartnerPlan, month: string, recipient: string): Promise<UtilizationSummary> {
    const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
    if (!match) throw new InvalidMonthError();
    const lastDay = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
    const visits = [];
    for await (const visit of this.visits.attributedBetween(`${month}-01`, `${month}-${String(lastDay).padStart(2, '0')}`)) visits.push(visit);
    const summary = summarise(plan, month, visits, this.policy.communityShares[plan], {
      centerIds: [...this.centers.ids()],
      productLines: [...this.productLines.of(plan)],
    });
    await this.ledger.record({
      plan,
      recipient,
      channel: 'SUMMARY',
      fields: ['centerId', 'productLine', 'service', 'visits', 'totalVisits', 'community.visits', 'community.planShare', 'communityTotal'],
      containsPhi: false,
      records: summary.rows.length + summary.community.length,
      range: { month },
    });
    return summary;
  }
}
