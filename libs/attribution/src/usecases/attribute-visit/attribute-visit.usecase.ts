import { Inject, Injectable } from '@nestjs/common';
import { createEvent, UtilizationRecordedV1Events } from '@crc/contracts';
import { outboxEntry } from '@crc/platform';
import { AttributionMetrics } from '../../attribution.metrics';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { Attribution, attributeVisit, sameAttribution } from '../../domain/attribution-rules';
import { nextRevision, PublishedRevision, VisitFacts } from '../../domain/utilization-revision';
import { AttributionConflictRepositoryPort, ConflictChange } from '../../domain/attribution-conflict.repository.port';
import { CoverageLookupPort } from '../../domain/coverage-lookup.port';
import { ServiceUseRepositoryPort } from '../../domain/service-use.repository.port';
import { VisitAttributionRepositoryPort } from '../../domain/visit-attribution.repository.port';
import { VisitRecord, VisitRecordRepositoryPort } from '../../domain/visit-record.repository.port';

export const ATTRIBUTION_POLICY = Symbol('ATTRIBUTION_POLICY');
export const REPORTING_EVENT_SOURCE = '/crc/reporting';

/**
 * Runs a visit's revision in a context of the caller's choosing: the consumer's is the trace of
 * the event that touched the visit, so the feed entries continue the check-in's trace.
 */
export type WithinVisit = <T>(visitId: string, work: () => Promise<T>) => Promise<T>;

/** A visit's attribution as it stands now, with the facts its feed record would carry. */
export interface VisitDecision {
  visitId: string;
  attribution: Attribution;
  facts: VisitFacts;
  /** Whether the visit record's copy of the attribution (for the dashboards) must change. */
  recordChanged: boolean;
  /** Set when the visit's place in the operations review queue must change. */
  conflictChange?: ConflictChange;
}

/**
 * Attributes visits from what is known now and, where that changes what the feeds say, records
 * the new revision with its feed entries in one write (the feed relay then appends them to the
 * plans' feeds and topics). Safe to run any number of times and from several places at once: an
 * unchanged result writes nothing, and of two writers of the same revision only one succeeds.
 * Works on batches: the rosters and the visits' services are read once per batch.
 */
@Injectable()
export class AttributeVisitUseCase {
  constructor(
    private readonly visits: VisitRecordRepositoryPort,
    private readonly ledger: VisitAttributionRepositoryPort,
    private readonly coverages: CoverageLookupPort,
    private readonly services: ServiceUseRepositoryPort,
    private readonly conflicts: AttributionConflictRepositoryPort,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
    private readonly metrics: AttributionMetrics,
  ) {}

  /** Attributes the visits as their records say, keeps the records' copies current; returns how many revisions were recorded. */
  async executeMany(records: VisitRecord[], within?: WithinVisit): Promise<number> {
    const decisions = await this.decide(records);
    const revisions = await this.publish(decisions, within);
    const byId = new Map(records.map((r) => [r._id, r]));
    await Promise.all(decisions.filter((d) => d.recordChanged).map((d) => this.visits.setAttribution(byId.get(d.visitId)!, d.attribution)));
    return revisions;
  }

  /**
   * What each visit's attribution is now. Until the check-in itself arrives we do not know who the
   * visitor was; once the identity is erased (past retention) the last attribution stands: such
   * visits are left out. Services that named one of these visits from another center are kept
   * aside here, whether they arrived before the visit or after it.
   */
  async decide(records: VisitRecord[]): Promise<VisitDecision[]> {
    const attributable = records.filter((r) => r.checkInSeen && r.checkedInAt && !r.identityErased);
    if (attributable.length === 0) return [];
    const [coverages, { services, quarantined }] = await Promise.all([
      this.coverages.findByIdentifiers(attributable.flatMap((r) => (r.memberId ? [r.memberId] : []))),
      // By id and center: a service naming a visit of another center is never this visit's (whichever arrived first).
      this.services.servicesOfVisits(attributable.map((r) => ({ visitId: r._id, centerId: r.centerId }))),
    ]);
    const visitOf = (record: VisitRecord) => ({
      serviceDate: record.serviceDate,
      memberId: record.memberId,
      selfReportedPlan: record.selfReportedPlan ?? 'NONE',
    });
    const coveragesOf = (record: VisitRecord) => (record.memberId ? (coverages.get(record.memberId) ?? []) : []);
    const attributions = new Map(attributable.map((record) => [record._id, attributeVisit(visitOf(record), coveragesOf(record), this.policy)]));
    // Rule 2's conflicts (few) need what the feeds were told and what operations chose: asked for them only.
    const inConflict = attributable.filter((record) => attributions.get(record._id)!.conflict).map((record) => record._id);
    if (inConflict.length > 0) {
      const [published, resolutions] = await Promise.all([this.ledger.attributionsOf(inConflict), this.conflicts.resolutionsOf(inConflict)]);
      for (const record of attributable.filter((r) => inConflict.includes(r._id))) {
        const context = { published: published.get(record._id), resolution: resolutions.get(record._id) };
        attributions.set(record._id, attributeVisit(visitOf(record), coveragesOf(record), this.policy, context));
      }
    }
    if (quarantined.length > 0) this.metrics.quarantined(await this.services.keepAside(quarantined));
    return attributable.map((record) => {
      const attribution = attributions.get(record._id)!;
      const facts: VisitFacts = {
        visitId: record._id,
        centerId: record.centerId,
        serviceDate: record.serviceDate,
        checkedInAt: record.checkedInAt!,
        checkedOutAt: record.checkedOutAt,
        purposes: record.purposes,
        memberId: record.memberId,
        ...services.get(record._id),
      };
      const recordChanged = !sameAttribution(record.attribution, attribution);
      // A visit whose record was dropped (a rebuild) may be in the queue already: the conflict began then, not now.
      const conflictChange: ConflictChange | undefined =
        recordChanged && (attribution.conflict || record.attribution?.conflict)
          ? {
              visitId: record._id,
              centerId: record.centerId,
              serviceDate: record.serviceDate,
              attribution,
              begins: record.attribution !== undefined && !record.attribution.conflict,
            }
          : undefined;
      return { visitId: record._id, attribution, facts, recordChanged, ...(conflictChange ? { conflictChange } : {}) };
    });
  }

  /**
   * Records a revision for every decision that changes what the feeds say; returns how many.
   * `unrevised`: visits known to have no revision yet, whose ledger is not read (a read of the
   * ledger by a batch of ids scans it on FerretDB).
   */
  async publish(decisions: VisitDecision[], within: WithinVisit = (_visitId, work) => work(), unrevised: ReadonlySet<string> = new Set()): Promise<number> {
    const published = await this.ledger.publishedOf(decisions.map((d) => d.visitId).filter((id) => !unrevised.has(id)));
    const revised = await Promise.all(decisions.map((d) => within(d.visitId, () => this.revise(d, published.get(d.visitId)))));
    await this.conflicts.record(decisions.flatMap((d) => (d.conflictChange ? [d.conflictChange] : [])));
    return revised.filter(Boolean).length;
  }

  private async revise({ visitId, attribution, facts }: VisitDecision, known: PublishedRevision | undefined): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (attempt === 5) throw new Error(`visit ${visitId}: attribution kept conflicting with concurrent writers`);
      const published = attempt === 0 ? known : await this.ledger.published(visitId);
      const next = nextRevision(published, facts, attribution);
      if (!next) return false;
      const feedEntries = next.entries.map((entry) => {
        const definition = UtilizationRecordedV1Events[entry.feedPlan];
        return outboxEntry(definition, createEvent(definition, entry, { source: REPORTING_EVENT_SOURCE }));
      });
      const saved = await this.ledger.saveRevision(visitId, published?.revision, attribution, next.published, feedEntries);
      if (saved === 'conflict') continue;
      this.metrics.recorded(attribution, saved === 'created' ? 'first' : 'correction');
      return true;
      // Another writer recorded a revision meanwhile: compare with what it wrote.
    }
  }
}
