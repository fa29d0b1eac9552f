import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan, UtilizationRecord } from '@crc/contracts';
import { bulkInsertOutcomes, documentKey, StoreProfile } from '@crc/platform';
import { FeedEntry } from '../domain/utilization-revision';
import { SequenceDocument, UtilizationRecordDocument } from './utilization-record.schema';

/** A stored feed record as the plans receive it. */
export function toUtilizationRecord(doc: UtilizationRecordDocument): UtilizationRecord {
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
    ...(doc.membershipHelp?.length
      ? {
          membershipHelp: doc.membershipHelp.map((h) => ({
            caseType: h.caseType,
            ...(h.outcome ? { outcome: h.outcome } : {}),
            ...(h.minutes !== undefined ? { minutes: h.minutes } : {}),
          })),
        }
      : {}),
    ...(doc.telehealthWifiMinutes ? { telehealthWifiMinutes: doc.telehealthWifiMinutes } : {}),
    publishedAt: doc.publishedAt.toISOString(),
  };
}

const entryKey = (e: Pick<FeedEntry, 'feedPlan' | 'visitId' | 'revision'>) => `${e.feedPlan}:${e.visitId}:${e.revision}`;

/**
 * Feed positions come in blocks of this many; a page reads the blocks it spans, each by equality
 * (plan and block), which every store serves from an index. A range or a sort on the position
 * would be a scan of the plan's whole feed on FerretDB, growing with every visit. Small blocks:
 * FerretDB spends about 0.3 ms on each document it returns, so a page should fetch little beyond
 * itself (measured: blocks of 100 made a 100-record page read 200 documents, 72 ms at p50).
 * Entries keep the block they were stored with: never change this once data exists.
 */
export const FEED_BLOCK = 25;
/** Blocks read at once; a longer page reads round after round. */
const PARALLEL_BLOCKS = 8;
export const feedBlockOf = (seq: number) => Math.floor(seq / FEED_BLOCK);
/**
 * What a block is read by: plan and block in one field. Two equalities would make PostgreSQL
 * intersect the block's few entries with every entry of the plan (half the feed).
 */
export const feedBlockKey = (plan: PartnerPlan, block: number) => `${plan}:${block}`;
/** Present once every stored entry carries its block (entries stored before blocks existed are tagged at start). */
const BLOCKS_COMPLETE = 'utilization-feed-blocks';

@Injectable()
export class UtilizationFeedRepository {
  constructor(
    @InjectModel(UtilizationRecordDocument.name) private readonly records: Model<UtilizationRecordDocument>,
    @InjectModel(SequenceDocument.name) private readonly sequences: Model<SequenceDocument>,
    private readonly store: StoreProfile,
  ) {}

  /** Reserves `count` consecutive feed positions for a plan; returns the first. */
  private async reserve(plan: PartnerPlan, count: number): Promise<number> {
    const id = `utilization:${plan}`;
    // Two reservations must never get the same positions (an atomic `$inc` on MongoDB; see StoreProfile.exclusive).
    const doc = await this.store.exclusive(documentKey(this.sequences.collection, id), () =>
      this.sequences
        .findOneAndUpdate({ _id: id }, { $inc: { value: count } }, { upsert: true, new: true })
        .lean<SequenceDocument>()
        .exec(),
    );
    return doc!.value - count + 1;
  }

  /**
   * Appends entries; an entry already in its feed (delivered before) is left as it is. Positions
   * are reserved per plan; should two writers ever get the same position (FerretDB can lose a
   * concurrent increment between processes), the entry that lost is appended again at a fresh one.
   */
  async append(entries: FeedEntry[], options: { firstAttempt?: boolean } = {}): Promise<void> {
    let pending = entries;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 5) throw new Error(`feed append kept colliding on positions (${pending.length} entries left)`);
      // Entries delivered for the first time cannot be in the feed yet: no read (a scan of the feed on
      // FerretDB). Were one there after all, its insert fails on its id and it is found below.
      const existing = attempt === 0 && options.firstAttempt ? new Set<string>() : await this.existingIds(pending.map(entryKey));
      const fresh = pending.filter((e) => !existing.has(entryKey(e)));
      const publishedAt = new Date();
      // Entries whose insert failed: they already existed (delivered before) or collided on a position.
      const failed: FeedEntry[] = [];
      for (const plan of new Set(fresh.map((e) => e.feedPlan))) {
        const ofPlan = fresh.filter((e) => e.feedPlan === plan);
        const first = await this.reserve(plan, ofPlan.length);
        const docs = ofPlan.map((entry, i) => ({
          ...entry,
          _id: entryKey(entry),
          seq: first + i,
          feedBlock: feedBlockKey(plan, feedBlockOf(first + i)),
          publishedAt,
          checkedInAt: new Date(entry.checkedInAt),
          ...(entry.checkedOutAt ? { checkedOutAt: new Date(entry.checkedOutAt) } : {}),
        }));
        try {
          await this.records.insertMany(docs, { ordered: false });
        } catch (error) {
          const outcomes = bulkInsertOutcomes(error, docs.length);
          // Unknown outcome (a dropped connection) or a failure other than a duplicate: the delivery
          // fails, and is made again (entries already appended are then found by their id).
          if (!outcomes || outcomes.includes('failed')) throw error;
          outcomes.forEach((outcome, i) => {
            if (outcome === 'duplicate') failed.push(ofPlan[i]);
          });
        }
      }
      // A failed entry that exists now was there already; the rest collided on a position (not on their own id): go again.
      const written = failed.length > 0 ? await this.existingIds(failed.map(entryKey)) : new Set<string>();
      pending = failed.filter((e) => !written.has(entryKey(e)));
    }
  }

  private async existingIds(ids: string[]): Promise<Set<string>> {
    const docs = await this.store.findByKeys<{ _id: string }>(this.records.collection, '_id', ids, { projection: { _id: 1 } });
    return new Set(docs.map((d) => d._id));
  }

  async lastSeq(plan: PartnerPlan): Promise<number> {
    const last = await this.records.findOne({ feedPlan: plan }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>().exec();
    return last?.seq ?? 0;
  }

  /** The feed position just before the first entry published at or after an instant. */
  async seqBefore(plan: PartnerPlan, publishedFrom: Date): Promise<number> {
    const first = await this.records
      .findOne({ feedPlan: plan, publishedAt: { $gte: publishedFrom } }, { seq: 1 })
      .sort({ seq: 1 })
      .lean<{ seq: number }>()
      .exec();
    return first ? first.seq - 1 : this.lastSeq(plan);
  }

  /** The entries after a position, in order, at most `limit`: the blocks the page spans, read together. */
  async page(plan: PartnerPlan, afterSeq: number, limit: number): Promise<UtilizationRecordDocument[]> {
    if (!(await this.blocksComplete())) {
      return this.records
        .find({ feedPlan: plan, seq: { $gt: afterSeq } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<UtilizationRecordDocument[]>()
        .exec();
    }
    return this.afterInBlocks(plan, afterSeq, limit, (block) =>
      this.records
        .find({ feedBlock: feedBlockKey(plan, block) })
        .lean<UtilizationRecordDocument[]>()
        .exec(),
    );
  }

  /** Which visit each entry after a position belongs to, in order: a light page (no PHI) for finding each visit's latest entry. */
  async visitPositions(plan: PartnerPlan, afterSeq: number, limit: number): Promise<Array<{ visitId: string; seq: number }>> {
    if (!(await this.blocksComplete())) {
      return this.records
        .find({ feedPlan: plan, seq: { $gt: afterSeq } }, { _id: 0, visitId: 1, seq: 1 })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<Array<{ visitId: string; seq: number }>>()
        .exec();
    }
    return this.afterInBlocks(plan, afterSeq, limit, (block) =>
      this.records
        .find({ feedBlock: feedBlockKey(plan, block) }, { _id: 0, visitId: 1, seq: 1 })
        .lean<Array<{ visitId: string; seq: number }>>()
        .exec(),
    );
  }

  /**
   * Reads block after block (as many at once as a full page needs, up to PARALLEL_BLOCKS) until the page is full or the
   * blocks pass the last reserved position. One query per block, by equality: FerretDB passes
   * equalities on to PostgreSQL, but not `$in`.
   */
  private async afterInBlocks<T extends { seq: number }>(
    plan: PartnerPlan,
    afterSeq: number,
    limit: number,
    read: (block: number) => Promise<T[]>,
  ): Promise<T[]> {
    const reserved = await this.reservedThrough(plan);
    const found: T[] = [];
    const perRound = Math.min(Math.ceil(limit / FEED_BLOCK) + 1, PARALLEL_BLOCKS);
    for (let next = feedBlockOf(afterSeq + 1); found.length < limit && next <= feedBlockOf(reserved); next += perRound) {
      const blocks = Array.from({ length: perRound }, (_, i) => next + i).filter((b) => b <= feedBlockOf(reserved));
      const docs = (await Promise.all(blocks.map(read))).flat();
      found.push(...docs.filter((d) => d.seq > afterSeq).sort((a, b) => a.seq - b.seq));
    }
    return found.slice(0, limit);
  }

  /** The last position reserved in a plan's feed (entries at or below it may still be on their way). */
  private async reservedThrough(plan: PartnerPlan): Promise<number> {
    const doc = await this.sequences.findById(`utilization:${plan}`).lean<SequenceDocument>().exec();
    return doc?.value ?? 0;
  }

  private blocksKnownComplete = false;

  private async blocksComplete(): Promise<boolean> {
    if (!this.blocksKnownComplete) this.blocksKnownComplete = (await this.sequences.exists({ _id: BLOCKS_COMPLETE }).exec()) !== null;
    return this.blocksKnownComplete;
  }

  /**
   * Gives every entry stored before blocks existed its block, then records that all have one
   * (until then pages are read the old way). Idempotent; returns how many entries were tagged.
   */
  async tagBlocks(): Promise<number> {
    if (await this.blocksComplete()) return 0;
    let tagged = 0;
    for (;;) {
      const untagged = await this.records
        .find({ feedBlock: { $exists: false } }, { _id: 1, feedPlan: 1, seq: 1 })
        .limit(500)
        .lean<Array<{ _id: string; feedPlan: PartnerPlan; seq: number }>>()
        .exec();
      if (untagged.length === 0) break;
      // One entry per statement: FerretDB cannot answer a bulk write that updates many existing documents.
      for (const doc of untagged)
        await this.records.updateOne({ _id: doc._id }, { $set: { feedBlock: feedBlockKey(doc.feedPlan, feedBlockOf(doc.seq)) } }).exec();
      tagged += untagged.length;
    }
    await this.sequences.updateOne({ _id: BLOCKS_COMPLETE }, { $set: { value: 1 } }, { upsert: true }).exec();
    this.blocksKnownComplete = true;
    return tagged;
  }
}
