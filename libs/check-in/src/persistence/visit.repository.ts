import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OutboxEntry } from '@crc/platform';
import { Visit } from '../domain/visit';
import { VisitDocument } from './visit.schema';

function toVisit(doc: VisitDocument): Visit {
  return {
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
  };
}

@Injectable()
export class VisitRepository {
  constructor(@InjectModel(VisitDocument.name) private readonly visits: Model<VisitDocument>) {}

  /** The visit and the events announcing it, in one document write. */
  async insert(visit: Visit, events: OutboxEntry[], kioskCredentialId: string): Promise<void> {
    await this.visits.create({
      _id: visit.visitId,
      centerId: visit.centerId,
      serviceDate: visit.serviceDate,
      status: visit.status,
      checkedInAt: visit.checkedInAt,
      recordedAt: visit.recordedAt,
      visitor: visit.visitor,
      purposes: visit.purposes,
      kioskCredentialId,
      outbox: events,
      outboxPending: events.length > 0,
    });
  }

  async findAtCenter(centerId: string, visitId: string): Promise<Visit | undefined> {
    const doc = await this.visits.findOne({ _id: visitId, centerId }, { outbox: 0 }).lean<VisitDocument>().exec();
    return doc ? toVisit(doc) : undefined;
  }
}
