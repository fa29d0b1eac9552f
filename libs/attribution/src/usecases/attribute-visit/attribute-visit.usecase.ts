import { Inject, Injectable } from '@nestjs/common';
import { createEvent, UtilizationRecordedV1Events } from '@crc/contracts';
import { CoverageRepository } from '@crc/eligibility';
import { OutboxRelay, outboxEntry, outboxRelayToken } from '@crc/platform';
import { AttributionMetrics } from '../../attribution.metrics';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { attributeVisit, sameAttribution } from '../../domain/attribution-rules';
import { nextRevision, VisitFacts } from '../../domain/utilization-revision';
import { VisitAttributionRepository } from '../../persistence/visit-attribution.repository';
import { VisitAttributionDocument } from '../../persistence/visit-attribution.schema';
import { ServiceUseRepository } from '../../persistence/service-use.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';

export const ATTRIBUTION_POLICY = Symbol('ATTRIBUTION_POLICY');
export const REPORTING_EVENT_SOURCE = '/crc/reporting';

/**
 * Attributes one visit from what is known now and, if that changes what the feeds say, records
 * the new revision with its feed entries in one write (the feed relay then appends them to the
 * plans' feeds and topics). Safe to run any number of times and from several places at once: an
 * unchanged result writes nothing, and of two writers of the same revision only one succeeds.
 */
@Injectable()
export class AttributeVisitUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly ledger: VisitAttributionRepository,
    private readonly coverages: CoverageRepository,
    private readonly services: ServiceUseRepository,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
    @Inject(outboxRelayToken(VisitAttributionDocument.name)) private readonly feedRelay: OutboxRelay,
    private readonly metrics: AttributionMetrics,
  ) {}

  /** Returns whether a new revision was recorded. */
  async execute(visitId: string): Promise<boolean> {
    const record = await this.visits.get(visitId);
    // Until the check-in itself arrives we do not know who the visitor was; once the identity is
    // erased (past retention) the last attribution stands.
    if (!record || !record.checkInSeen || !record.checkedInAt || record.identityErased) return false;
    const coverages = record.memberId ? await this.coverages.findByIdentifier(record.memberId) : [];
    const attribution = attributeVisit(
      { serviceDate: record.serviceDate, memberId: record.memberId, selfReportedPlan: record.selfReportedPlan ?? 'NONE' },
      coverages,
      this.policy,
    );
    const facts: VisitFacts = {
      visitId,
      centerId: record.centerId,
      serviceDate: record.serviceDate,
      checkedInAt: record.checkedInAt,
      checkedOutAt: record.checkedOutAt,
      purposes: record.purposes,
      memberId: record.memberId,
      ...(await this.services.servicesOfVisit(visitId)),
    };

    let revised = false;
    for (let attempt = 0; ; attempt++) {
      if (attempt === 5) throw new Error(`visit ${visitId}: attribution kept conflicting with concurrent writers`);
      const published = await this.ledger.published(visitId);
      const next = nextRevision(published, facts, attribution);
      if (!next) break;
      const feedEntries = next.entries.map((entry) => {
        const definition = UtilizationRecordedV1Events[entry.feedPlan];
        return outboxEntry(definition, createEvent(definition, entry, { source: REPORTING_EVENT_SOURCE }));
      });
      if (await this.ledger.saveRevision(visitId, published?.revision, attribution, next.published, feedEntries)) {
        if (feedEntries.length > 0) this.feedRelay.notify();
        this.metrics.recorded(attribution, published ? 'correction' : 'first');
        revised = true;
        break;
      }
      // Another writer recorded a revision meanwhile: compare with what it wrote.
    }
    if (!sameAttribution(record.attribution, attribution)) await this.visits.setAttribution(visitId, attribution);
    return revised;
  }
}
