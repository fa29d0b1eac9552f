import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { Coverage } from '../domain/coverage';
import { CoverageDocument } from './coverage.schema';

export function coverageKey(c: Coverage): string {
  return `${c.rosterPlan}|${c.memberId}|${c.productLine}|${c.coverageStart}`;
}

function toCoverage(doc: CoverageDocument): Coverage {
  return {
    rosterPlan: doc.rosterPlan,
    memberId: doc.memberId,
    ...(doc.cin ? { cin: doc.cin } : {}),
    productLine: doc.productLine,
    ...(doc.planPartner ? { planPartner: doc.planPartner } : {}),
    coverageStart: doc.coverageStart,
    ...(doc.coverageEnd ? { coverageEnd: doc.coverageEnd } : {}),
  };
}

const UPSERTS_PER_WRITE = 50;

@Injectable()
export class CoverageRepository {
  constructor(@InjectModel(CoverageDocument.name) private readonly coverages: Model<CoverageDocument>) {}

  /** Writes a batch of spans; a span uploaded again replaces the stored one (retroactive changes). */
  async upsert(uploadId: string, batch: Coverage[]): Promise<void> {
    if (batch.length === 0) return;
    const now = new Date();
    const operations: AnyBulkWriteOperation<CoverageDocument>[] = batch.map((c) => {
      const unset: Record<string, ''> = {};
      if (!c.cin) unset.cin = '';
      if (!c.planPartner) unset.planPartner = '';
      if (!c.coverageEnd) unset.coverageEnd = '';
      return {
        updateOne: {
          filter: { _id: coverageKey(c) },
          update: { $set: { ...c, uploadId, updatedAt: now }, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
          upsert: true,
        },
      };
    });
    // In writes of at most 50: FerretDB 1.24 on SQLite never answers a bulk write that updates about
    // a hundred existing documents (measured: 80 answered, 100 hung), as a re-uploaded roster does.
    for (let i = 0; i < operations.length; i += UPSERTS_PER_WRITE) {
      await this.coverages.bulkWrite(operations.slice(i, i + UPSERTS_PER_WRITE), { ordered: false });
    }
  }

  /** Who would lose spans in `removeNotWrittenBy`. */
  async identifiersNotWrittenBy(rosterPlan: PartnerPlan, uploadId: string): Promise<Array<{ memberId: string; cin?: string }>> {
    return this.coverages
      .find({ rosterPlan, uploadId: { $ne: uploadId } }, { _id: 0, memberId: 1, cin: 1 })
      .lean<Array<{ memberId: string; cin?: string }>>()
      .exec();
  }

  /** Who got spans from an upload (to finish the work of one that was interrupted). */
  async identifiersWrittenBy(rosterPlan: PartnerPlan, uploadId: string): Promise<string[]> {
    const docs = await this.coverages
      .find({ rosterPlan, uploadId }, { _id: 0, memberId: 1, cin: 1 })
      .lean<Array<{ memberId: string; cin?: string }>>()
      .exec();
    return [...new Set(docs.flatMap((d) => (d.cin ? [d.memberId, d.cin] : [d.memberId])))];
  }

  /** After a complete replace: spans the plan no longer lists are gone. */
  async removeNotWrittenBy(rosterPlan: PartnerPlan, uploadId: string): Promise<number> {
    const result = await this.coverages.deleteMany({ rosterPlan, uploadId: { $ne: uploadId } }).exec();
    return result.deletedCount;
  }

  /**
   * Every span, in both rosters, whose member id or CIN is one of the identifiers, by identifier:
   * one query for a batch of visits.
   */
  async findByIdentifiers(identifiers: string[]): Promise<Map<string, Coverage[]>> {
    const wanted = [...new Set(identifiers)];
    const found = new Map<string, Coverage[]>(wanted.map((id) => [id, []]));
    if (wanted.length === 0) return found;
    const docs = await this.coverages
      .find({ $or: [{ memberId: { $in: wanted } }, { cin: { $in: wanted } }] })
      .lean<CoverageDocument[]>()
      .exec();
    for (const doc of docs) {
      const coverage = toCoverage(doc);
      for (const id of new Set([doc.memberId, doc.cin])) if (id !== undefined && found.has(id)) found.get(id)!.push(coverage);
    }
    return found;
  }
}
