import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, documentLocks, OutboxEntry, pushToOutbox } from '@crc/platform';
import { Attribution } from '../domain/attribution-rules';
import { PublishedRevision } from '../domain/utilization-revision';
import { VisitAttributionDocument } from './visit-attribution.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class VisitAttributionRepository {
  constructor(@InjectModel(VisitAttributionDocument.name) private readonly ledger: Model<VisitAttributionDocument>) {}

  async published(visitId: string): Promise<PublishedRevision | undefined> {
    const doc = await this.ledger.findById(visitId, { published: 1 }).lean<Pick<VisitAttributionDocument, 'published'>>().exec();
    return doc?.published ?? undefined;
  }

  /**
   * Records a new revision with its feed entries in one write, unless another writer recorded a
   * revision since `previousRevision` was read (then nothing is written and false returned).
   */
  async saveRevision(
    visitId: string,
    previousRevision: number | undefined,
    attribution: Attribution,
    published: PublishedRevision,
    feedEntries: OutboxEntry[],
  ): Promise<boolean> {
    const now = new Date();
    const fields = { attribution: { ...attribution, attributedAt: now }, published, updatedAt: now };
    return documentLocks.run(documentKey(this.ledger.collection, visitId), async () => {
      if (previousRevision === undefined) {
        try {
          await this.ledger.create({ _id: visitId, ...fields, outbox: feedEntries, outboxPending: feedEntries.length > 0 });
          return true;
        } catch (error) {
          if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
          throw error;
        }
      }
      const { $push, $set } = pushToOutbox(feedEntries);
      const result = await this.ledger
        .updateOne(
          { _id: visitId, 'published.revision': previousRevision },
          { $set: { ...(feedEntries.length > 0 ? $set : {}), ...fields }, ...(feedEntries.length > 0 ? { $push } : {}) },
        )
        .exec();
      return result.modifiedCount > 0;
    });
  }
}
