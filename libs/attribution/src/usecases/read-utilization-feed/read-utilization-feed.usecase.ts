import { Injectable } from '@nestjs/common';
import { PartnerPlan, UtilizationPage, UtilizationRecord } from '@crc/contracts';
import { decodeCursor, encodeCursor } from '../../domain/feed-cursor';
import { UtilizationFeedRepository } from '../../persistence/utilization-feed.repository';
import { UtilizationRecordDocument } from '../../persistence/utilization-record.schema';

export interface ReadUtilizationFeedQuery {
  plan: PartnerPlan;
  since?: string;
  limit: number;
}

function toRecord(doc: UtilizationRecordDocument): UtilizationRecord {
  return {
    recordId: doc.recordId,
    visitId: doc.visitId,
    revision: doc.revision,
    ...(doc.supersedes ? { supersedes: doc.supersedes } : {}),
    status: doc.status,
    centerId: doc.centerId,
    serviceDate: doc.serviceDate,
    plan: doc.plan,
    basis: doc.basis,
    ...(doc.productLine ? { productLine: doc.productLine } : {}),
    ...(doc.planPartner ? { planPartner: doc.planPartner } : {}),
    flags: doc.flags,
    ruleVersion: doc.ruleVersion,
    ...(doc.memberId ? { memberId: doc.memberId } : {}),
    purposes: doc.purposes,
    checkedInAt: doc.checkedInAt.toISOString(),
    ...(doc.checkedOutAt ? { checkedOutAt: doc.checkedOutAt.toISOString() } : {}),
    publishedAt: doc.publishedAt.toISOString(),
  };
}

/** A page of one plan's feed, oldest first, after a cursor. */
@Injectable()
export class ReadUtilizationFeedUseCase {
  constructor(private readonly feed: UtilizationFeedRepository) {}

  async execute(query: ReadUtilizationFeedQuery): Promise<UtilizationPage> {
    const after = decodeCursor(query.since);
    const docs = await this.feed.page(query.plan, after, query.limit + 1);
    const items = docs.slice(0, query.limit);
    const last = items.length > 0 ? items[items.length - 1].seq : after;
    return { items: items.map(toRecord), nextCursor: encodeCursor(last), hasMore: docs.length > query.limit };
  }
}
