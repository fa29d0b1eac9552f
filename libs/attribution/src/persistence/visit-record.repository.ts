import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { VisitCheckedInV1, VisitCheckedOutV1 } from '@crc/contracts';
import { documentKey, documentLocks } from '@crc/platform';
import { Attribution } from '../domain/attribution-rules';
import { DashboardVisit } from '../domain/dashboard-summary';
import { SummarisedVisit } from '../domain/utilization-summary';
import { VisitRecordDocument } from './visit-record.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class VisitRecordRepository {
  constructor(@InjectModel(VisitRecordDocument.name) private readonly records: Model<VisitRecordDocument>) {}

  /**
   * Applies an event's facts once: the filter skips a visit that already lists the event id, and
   * the upsert that then collides with the existing visit is the redelivery, not an error.
   */
  private async applyOnce(visitId: string, eventId: string, set: Record<string, unknown>, setOnInsert: Record<string, unknown>): Promise<boolean> {
    try {
      const result = await this.locked(visitId, () =>
        this.records
          .updateOne(
            { _id: visitId, appliedEventIds: { $ne: eventId } },
            { $set: { ...set, updatedAt: new Date() }, $setOnInsert: setOnInsert, $addToSet: { appliedEventIds: eventId } },
            { upsert: true },
          )
          .exec(),
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  applyCheckIn(eventId: string, data: VisitCheckedInV1): Promise<boolean> {
    return this.applyOnce(
      data.visitId,
      eventId,
      {
        centerId: data.centerId,
        serviceDate: data.serviceDate,
        checkInSeen: true,
        checkedInAt: new Date(data.occurredAt),
        purposes: data.purposes,
        selfReportedPlan: data.visitor.selfReportedPlan,
        ...(data.visitor.memberId ? { memberId: data.visitor.memberId } : {}),
      },
      {},
    );
  }

  applyCheckOut(eventId: string, data: VisitCheckedOutV1): Promise<boolean> {
    return this.applyOnce(
      data.visitId,
      eventId,
      { checkedOutAt: new Date(data.occurredAt) },
      // A check-out can overtake its check-in; these facts then come from the check-out.
      { centerId: data.centerId, serviceDate: data.serviceDate, checkedInAt: new Date(data.checkedInAt), checkInSeen: false },
    );
  }

  /** All visit ids, a page at a time in id order. */
  async visitIdsAfter(afterId: string, limit: number): Promise<string[]> {
    const docs = await this.records.find({ _id: { $gt: afterId } }, { _id: 1 }).sort({ _id: 1 }).limit(limit).lean<Array<{ _id: string }>>().exec();
    return docs.map((d) => d._id);
  }

  /** Empties the projection before a rebuild (indexes stay). */
  async removeAll(): Promise<number> {
    return (await this.records.deleteMany({}).exec()).deletedCount;
  }

  async get(visitId: string): Promise<VisitRecordDocument | undefined> {
    return (await this.records.findById(visitId).lean<VisitRecordDocument>().exec()) ?? undefined;
  }

  /** Keeps the dashboards' copy of the current attribution. */
  async setAttribution(visitId: string, attribution: Attribution): Promise<void> {
    await this.locked(visitId, () =>
      this.records.updateOne({ _id: visitId }, { $set: { attribution: { ...attribution, attributedAt: new Date() }, updatedAt: new Date() } }).exec(),
    );
  }

  /**
   * Ids of visits on or after a service date whose visitor gave one of the identifiers (or any
   * member id, when `identifiers` is undefined), a page at a time in id order.
   */
  async visitIdsWithMember(fromServiceDate: string, identifiers: string[] | undefined, afterId: string, limit: number): Promise<string[]> {
    const docs = await this.records
      .find(
        {
          serviceDate: { $gte: fromServiceDate },
          memberId: identifiers ? { $in: identifiers } : { $exists: true },
          _id: { $gt: afterId },
        },
        { _id: 1 },
      )
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

  /** Visits of a service-date range for the operations dashboard (the member id only to unduplicate). */
  async forDashboard(fromDate: string, toDate: string): Promise<DashboardVisit[]> {
    const docs = await this.records
      .find(
        { serviceDate: { $gte: fromDate, $lte: toDate }, checkInSeen: true },
        { _id: 0, centerId: 1, serviceDate: 1, purposes: 1, memberId: 1, checkedInAt: 1, checkedOutAt: 1, 'attribution.plan': 1 },
      )
      .lean<VisitRecordDocument[]>()
      .exec();
    return docs.map((d) => ({
      centerId: d.centerId,
      serviceDate: d.serviceDate,
      plan: d.attribution?.plan,
      purposes: d.purposes,
      memberId: d.memberId ?? undefined,
      checkedInAt: d.checkedInAt,
      checkedOutAt: d.checkedOutAt ?? undefined,
    }));
  }

  /** Event application and re-attribution may touch one visit at once (see DocumentLocks). */
  private locked<T>(visitId: string, work: () => Promise<T>): Promise<T> {
    return documentLocks.run(documentKey(this.records.collection, visitId), work);
  }
}
