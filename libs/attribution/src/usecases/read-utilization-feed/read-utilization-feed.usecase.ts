import { Injectable } from '@nestjs/common';
import { PartnerPlan, UtilizationPage } from '@crc/contracts';
import { encodeCursor, readSince } from '../../domain/feed-cursor';
import { disclosedFields, FeedFormat } from '../../domain/feed-formats';
import { DisclosureLedger } from '../../persistence/disclosure-ledger.repository';
import { toUtilizationRecord, UtilizationFeedRepository } from '../../persistence/utilization-feed.repository';

export interface ReadUtilizationFeedQuery {
  plan: PartnerPlan;
  /** A cursor from an earlier page, or a date (YYYY-MM-DD). */
  since?: string;
  limit: number;
  format: FeedFormat;
  /** Who receives it, for the disclosure ledger. */
  recipient: string;
}

/** A page of one plan's feed, oldest first, recorded in the disclosure ledger before it leaves. */
@Injectable()
export class ReadUtilizationFeedUseCase {
  constructor(
    private readonly feed: UtilizationFeedRepository,
    private readonly ledger: DisclosureLedger,
  ) {}

  async execute(query: ReadUtilizationFeedQuery): Promise<UtilizationPage> {
    const position = readSince(query.since);
    const after = 'afterSeq' in position ? position.afterSeq : await this.feed.seqBefore(query.plan, position.publishedFrom);
    const docs = await this.feed.page(query.plan, after, query.limit + 1);
    const pageDocs = docs.slice(0, query.limit);
    const items = pageDocs.map(toUtilizationRecord);
    const last = pageDocs.length > 0 ? pageDocs[pageDocs.length - 1].seq : after;
    if (items.length > 0) {
      await this.ledger.record({
        plan: query.plan,
        recipient: query.recipient,
        channel: `FEED_${query.format.toUpperCase()}`,
        fields: disclosedFields(items),
        containsPhi: items.some((item) => item.memberId !== undefined),
        records: items.length,
        range: {
          afterPosition: after,
          throughPosition: last,
          firstPublishedAt: items[0].publishedAt,
          lastPublishedAt: items[items.length - 1].publishedAt,
        },
      });
    }
    return { items, nextCursor: encodeCursor(last), hasMore: docs.length > query.limit };
  }
}
