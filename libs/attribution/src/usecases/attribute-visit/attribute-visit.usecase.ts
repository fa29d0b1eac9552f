import { Inject, Injectable } from '@nestjs/common';
import { CoverageRepository } from '@crc/eligibility';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { attributeVisit } from '../../domain/attribution-rules';
import { nextRevision } from '../../domain/utilization-revision';
import { UtilizationFeedRepository } from '../../persistence/utilization-feed.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';

export const ATTRIBUTION_POLICY = Symbol('ATTRIBUTION_POLICY');

/**
 * Attributes one visit from what is known now and, if that changes what the feeds say, appends
 * the new revision. Safe to run any number of times: an unchanged result writes nothing, and a
 * revision already appended is not appended again.
 */
@Injectable()
export class AttributeVisitUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly coverages: CoverageRepository,
    private readonly feed: UtilizationFeedRepository,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
  ) {}

  async execute(visitId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = await this.visits.get(visitId);
      // Until the check-in itself arrives we do not know who the visitor was.
      if (!record || !record.checkInSeen || !record.checkedInAt) return;
      const coverages = record.memberId ? await this.coverages.findByIdentifier(record.memberId) : [];
      const attribution = attributeVisit(
        { serviceDate: record.serviceDate, memberId: record.memberId, selfReportedPlan: record.selfReportedPlan ?? 'NONE' },
        coverages,
        this.policy,
      );
      const next = nextRevision(
        record.published,
        {
          visitId,
          centerId: record.centerId,
          serviceDate: record.serviceDate,
          checkedInAt: record.checkedInAt,
          checkedOutAt: record.checkedOutAt,
          purposes: record.purposes,
          memberId: record.memberId,
        },
        attribution,
      );
      if (!next) return;
      await this.feed.append(next.entries);
      if (await this.visits.saveRevision(visitId, record.published?.revision, attribution, next.published)) return;
      // Another writer published a revision meanwhile: start again from what it wrote.
    }
    throw new Error(`visit ${visitId}: attribution kept conflicting with concurrent writers`);
  }
}
