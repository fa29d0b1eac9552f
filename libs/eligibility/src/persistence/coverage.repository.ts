import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { StoreProfile } from '@crc/platform';
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
  constructor(
    @InjectModel(CoverageDocument.name) private readonly coverages: Model<CoverageDocument>,
    private readonly store: StoreProfile,
  ) {}

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

  /**
   * Coverage ends on `coverageEnd` (an 834 termination or change): the member's spans in this roster
   * (of one product line, or all) that are open or end later now end then, and spans that start after
   * it are removed (cancelled before they began). Returns whose spans changed, CINs included, so
   * that visits given under either are attributed again.
   */
  async endCoverage(
    rosterPlan: PartnerPlan,
    uploadId: string,
    end: { memberId: string; productLine?: string; coverageEnd: string },
  ): Promise<Array<{ memberId: string; cin?: string }>> {
    const member = { rosterPlan, memberId: end.memberId, ...(end.productLine ? { productLine: end.productLine } : {}) };
    // One equality read by member id (indexed); the dates are compared here, not by the store.
    const spans = await this.coverages.find(member).lean<CoverageDocument[]>().exec();
    const cancelled = spans.filter((s) => s.coverageStart > end.coverageEnd).map((s) => s._id);
    const shortened = spans.filter((s) => s.coverageStart <= end.coverageEnd && (!s.coverageEnd || s.coverageEnd > end.coverageEnd)).map((s) => s._id);
    // By `_id` through StoreProfile: on FerretDB an `$in` would read every coverage, for each member an 834 ends.
    await this.store.deleteByKeys(this.coverages.collection, '_id', cancelled);
    await this.store.updateByKeys(this.coverages.collection, '_id', shortened, { $set: { coverageEnd: end.coverageEnd, uploadId, updatedAt: new Date() } });
    const changed = new Set([...cancelled, ...shortened]);
    return spans.filter((s) => changed.has(s._id)).map((s) => ({ memberId: s.memberId, ...(s.cin ? { cin: s.cin } : {}) }));
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
    const docs = await this.coverages.find({ rosterPlan, uploadId }, { _id: 0, memberId: 1, cin: 1 }).lean<Array<{ memberId: string; cin?: string }>>().exec();
    return [...new Set(docs.flatMap((d) => (d.cin ? [d.memberId, d.cin] : [d.memberId])))];
  }

  /** After a complete replace: spans the plan no longer lists are gone. */
  async removeNotWrittenBy(rosterPlan: PartnerPlan, uploadId: string): Promise<number> {
    const result = await this.coverages.deleteMany({ rosterPlan, uploadId: { $ne: uploadId } }).exec();
    return result.deletedCount;
  }

  /**
   * Every span, in both rosters, whose member id or CIN is one of the identifiers, by identifier:
   * one read for a batch of visits, by key (StoreProfile.findByKeys; on FerretDB an `$or` of `$in`
   * read all coverages: 1.4 to 5.3 s a batch over 20k of them).
   */
  async findByIdentifiers(identifiers: string[]): Promise<Map<string, Coverage[]>> {
    const wanted = [...new Set(identifiers)];
    const found = new Map<string, Coverage[]>(wanted.map((id) => [id, []]));
    if (wanted.length === 0) return found;
    const docs = await this.store.findByKeys<CoverageDocument>(this.coverages.collection, ['memberId', 'cin'], wanted);
    for (const doc of docs) {
      const coverage = toCoverage(doc);
      for (const id of new Set([doc.memberId, doc.cin])) if (id !== undefined && found.has(id)) found.get(id)!.push(coverage);
    }
    return found;
  }
}
