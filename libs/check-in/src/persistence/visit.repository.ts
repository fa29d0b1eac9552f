import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AggregateStore, aggregateStoreToken, OutboxEntry, WITHOUT_OUTBOX } from '@crc/platform';
import { Visit } from '../domain/visit';
import { StoredVisit, VisitRepositoryPort } from '../domain/visit.repository.port';
import { VisitDocument } from './visit.schema';

function toStored(doc: VisitDocument): StoredVisit {
  return {
    visit: {
      visitId: doc._id,
      centerId: doc.centerId,
      serviceDate: doc.serviceDate,
      status: doc.status,
      checkedInAt: doc.checkedInAt,
      checkedOutAt: doc.checkedOutAt ?? undefined,
      recordedAt: doc.recordedAt,
      visitor: {
        memberId: doc.visitor.memberId ?? undefined,
        memberIdType: (doc.visitor.memberIdType as Visit['visitor']['memberIdType']) ?? undefined,
        selfReportedPlan: doc.visitor.selfReportedPlan,
        preferredLanguage: doc.visitor.preferredLanguage ?? undefined,
      },
      purposes: doc.purposes,
    },
    requestFingerprint: doc.requestFingerprint ?? undefined,
    checkOutOperationId: doc.checkOutOperationId ?? undefined,
  };
}

@Injectable()
export class VisitRepository implements VisitRepositoryPort {
  constructor(
    @InjectModel(VisitDocument.name) private readonly visits: Model<VisitDocument>,
    @Inject(aggregateStoreToken(VisitDocument.name)) private readonly store: AggregateStore<VisitDocument>,
  ) {}

  /**
   * The visit and the events announcing it, in one document write (check-ins arriving together
   * share one commit). `exists` when a visit with this id is already stored (a retried request):
   * nothing is written then, and whatever of the stored one is not published yet goes out.
   */
  async insert(visit: Visit, events: OutboxEntry[], meta: { kioskCredentialId: string; requestFingerprint: string }): Promise<'inserted' | 'exists'> {
    // A plain document rather than a mongoose one: the request was validated at the edge and the
    // domain built the visit, and building and validating a model instance was a tenth of the
    // service's CPU at its maximum rate (profiled).
    const { memberId, memberIdType, selfReportedPlan, preferredLanguage } = visit.visitor;
    const doc: Omit<VisitDocument, 'outbox' | 'outboxPending'> = {
      _id: visit.visitId,
      centerId: visit.centerId,
      serviceDate: visit.serviceDate,
      status: visit.status,
      checkedInAt: visit.checkedInAt,
      recordedAt: visit.recordedAt,
      visitor: {
        ...(memberId !== undefined ? { memberId } : {}),
        ...(memberIdType !== undefined ? { memberIdType } : {}),
        selfReportedPlan,
        ...(preferredLanguage !== undefined ? { preferredLanguage } : {}),
      },
      purposes: visit.purposes,
      kioskCredentialId: meta.kioskCredentialId,
      requestFingerprint: meta.requestFingerprint,
    };
    return this.store.insert(doc, events);
  }

  /**
   * Closes the visit and queues its events, only if it is still open (two check-outs racing:
   * one wins, the other finds it closed).
   */
  async close(visit: Visit, events: OutboxEntry[], operationId: string): Promise<'closed' | 'not-open'> {
    const closed = await this.store.update(
      visit.visitId,
      { centerId: visit.centerId, status: 'OPEN' },
      { set: { status: visit.status, checkedOutAt: visit.checkedOutAt, checkOutOperationId: operationId }, events },
    );
    return closed ? 'closed' : 'not-open';
  }

  async findAtCenter(centerId: string, visitId: string): Promise<StoredVisit | undefined> {
    const doc = await this.visits.findOne({ _id: visitId, centerId }, WITHOUT_OUTBOX).lean<VisitDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  /** The front desk's list: visits still open on a service date, oldest first. */
  async listOpen(centerId: string, serviceDate: string, limit: number): Promise<Visit[]> {
    const docs = await this.visits
      .find({ centerId, serviceDate, status: 'OPEN' }, WITHOUT_OUTBOX)
      .sort({ checkedInAt: 1 })
      .limit(limit)
      .lean<VisitDocument[]>()
      .exec();
    return docs.map((doc) => toStored(doc).visit);
  }
}
