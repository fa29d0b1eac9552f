import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, documentLocks, StoreProfile } from '@crc/platform';
import { Attribution } from '../domain/attribution-rules';
import { SummarisedVisit } from '../domain/utilization-summary';
import { DashboardTallyRepository } from './dashboard-tally.repository';
import { EventFacts } from '../domain/event-facts';
import { VisitRecord, VisitRecordRepositoryPort } from '../domain/visit-record.repository.port';
import { EventFactsApplier, mongooseProjection } from './event-facts.applier';
import { VisitRecordDocument } from './visit-record.schema';

export type { VisitRecord } from '../domain/visit-record.repository.port';

@Injectable()
export class VisitRecordRepository implements VisitRecordRepositoryPort {
  private readonly applier: EventFactsApplier<VisitRecordDocument>;

  constructor(
    @InjectModel(VisitRecordDocument.name) private readonly records: Model<VisitRecordDocument>,
    private readonly tallies: DashboardTallyRepository,
    private readonly store: StoreProfile,
  ) {
    this.applier = new EventFactsApplier(mongooseProjection(records, store));
  }

  /**
   * Applies the facts of a batch of events, each once (see EventFactsApplier); `decorate` adds fields
   * computed from the visits as they now are (their attribution), written in the same write.
   */
  apply(
    facts: EventFacts[],
    decorate?: (changed: VisitRecordDocument[], created: ReadonlySet<string>) => Promise<Map<string, Record<string, unknown>>>,
  ): Promise<Map<string, VisitRecordDocument>> {
    return this.applier.apply(facts, async (changed, created) => {
      const extra = decorate ? await decorate(changed, created) : new Map<string, Record<string, unknown>>();
      // The dashboard's tallies first (see DashboardTallyRepository), from the records as they are about to be written.
      await this.tallies.recordVisits(changed.map((record) => ({ ...record, ...extra.get(record._id) })));
      return extra;
    });
  }

  /** Every record, a page at a time, in one pass over the collection. */
  async *allInPages(pageSize: number): AsyncGenerator<VisitRecordDocument[]> {
    let page: VisitRecordDocument[] = [];
    for await (const doc of this.records.find({}).lean<VisitRecordDocument[]>().cursor({ batchSize: pageSize })) {
      page.push(doc as VisitRecordDocument);
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /**
   * Writes every visit's dashboard tally from its record, a page at a time; each page is read again
   * under the visits' locks, so a change applied meanwhile is never overwritten with an older state.
   */
  async retallyAll(pageSize: number): Promise<number> {
    let count = 0;
    for await (const page of this.allInPages(pageSize)) {
      const ids = page.map((r) => r._id);
      await documentLocks.run(
        ids.map((id) => documentKey(this.records.collection, id)),
        async () => this.tallies.recordVisits(await this.getMany(ids)),
      );
      count += ids.length;
    }
    return count;
  }

  /** Empties the projection before a rebuild (indexes stay). */
  async removeAll(): Promise<number> {
    return (await this.records.deleteMany({}).exec()).deletedCount;
  }

  async get(visitId: string): Promise<VisitRecordDocument | undefined> {
    return (await this.records.findById(visitId).lean<VisitRecordDocument>().exec()) ?? undefined;
  }

  /** The records that exist of these visits, in one read by key (StoreProfile.findByKeys). */
  getMany(visitIds: string[]): Promise<VisitRecordDocument[]> {
    return this.store.findByKeys<VisitRecordDocument>(this.records.collection, '_id', visitIds);
  }

  /** Keeps the dashboards' copy of the current attribution (the record as it was read, for the dashboard's tally). */
  async setAttribution(record: VisitRecord, attribution: Attribution): Promise<void> {
    const attributedAt = new Date();
    await this.locked(record._id, async () => {
      await this.tallies.recordVisits([{ ...record, attribution }]);
      await this.records.updateOne({ _id: record._id }, { $set: { attribution: { ...attribution, attributedAt }, updatedAt: attributedAt } }).exec();
    });
  }

  /**
   * Ids of visits on or after a service date whose visitor gave one of the identifiers, in id order:
   * one read by member id (StoreProfile.findByKeys: on FerretDB a statement per member, or one pass
   * over the visits when they are few for so many members; an `$in` with the date range and a page's
   * sort read every visit there, page after page). The service date is checked beside each.
   */
  async visitIdsOfMembers(fromServiceDate: string, identifiers: string[]): Promise<string[]> {
    const docs = await this.store.findByKeys<{ _id: string }>(this.records.collection, 'memberId', identifiers, {
      filter: { serviceDate: { $gte: fromServiceDate } },
      projection: { _id: 1 },
    });
    return docs.map((d) => d._id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Ids of visits on or after a service date whose visitor gave any member id, a page at a time in id order. */
  async visitIdsWithAnyMember(fromServiceDate: string, afterId: string, limit: number): Promise<string[]> {
    const docs = await this.records
      .find({ serviceDate: { $gte: fromServiceDate }, memberId: { $exists: true }, _id: { $gt: afterId } }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>()
      .exec();
    return docs.map((d) => d._id);
  }

  /**
   * Ids of visits last attributed under an older rule version (not those past retention, which
   * keep their last attribution), a page at a time in id order.
   */
  async visitIdsAttributedBefore(ruleVersion: number, afterId: string, limit: number): Promise<string[]> {
    const docs = await this.records
      .find({ 'attribution.ruleVersion': { $lt: ruleVersion }, identityErased: { $ne: true }, _id: { $gt: afterId } }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Attributed visits of a service-date range, for summaries: facts and plan, no identities. */
  async *attributedBetween(fromDate: string, toDate: string): AsyncGenerator<SummarisedVisit> {
    const cursor = this.records
      .find(
        { serviceDate: { $gte: fromDate, $lte: toDate }, attribution: { $exists: true } },
        { _id: 0, centerId: 1, purposes: 1, 'attribution.plan': 1, 'attribution.productLine': 1 },
      )
      .lean<Array<Pick<VisitRecordDocument, 'centerId' | 'purposes' | 'attribution'>>>()
      .cursor({ batchSize: 2000 });
    for await (const doc of cursor) {
      yield { centerId: doc.centerId, plan: doc.attribution!.plan, productLine: doc.attribution!.productLine, purposes: doc.purposes };
    }
  }

  /** Event application and re-attribution may touch one visit at once (see DocumentLocks). */
  private locked<T>(visitId: string, work: () => Promise<T>): Promise<T> {
    return documentLocks.run(documentKey(this.records.collection, visitId), work);
  }
}
