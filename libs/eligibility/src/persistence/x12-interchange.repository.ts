import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { documentKey, StoreProfile } from '@crc/platform';
import { X12InterchangeDocument } from './x12-interchange.schema';

export type InterchangeClaim =
  | { outcome: 'CLAIMED' }
  /** Applied before, from the same bytes. */
  | { outcome: 'RESEND'; uploadId: string }
  /** The control number was used before for another file. */
  | { outcome: 'DIFFERENT_FILE' }
  /** Another upload of the same file is applying it now. */
  | { outcome: 'IN_PROGRESS' };

@Injectable()
export class X12InterchangeRepository {
  constructor(
    @InjectModel(X12InterchangeDocument.name) private readonly interchanges: Model<X12InterchangeDocument>,
    private readonly store: StoreProfile,
  ) {}

  /**
   * Takes the interchange for this upload, once: the insert of its key decides between two uploads
   * of the same file. A claim left by an upload that stopped half-way (no heartbeat for `staleAfterMs`)
   * is taken over: applying a file again gives the same roster.
   */
  async claim(key: { plan: PartnerPlan; id: string }, uploadId: string, contentHash: string, staleAfterMs: number): Promise<InterchangeClaim> {
    const now = new Date();
    try {
      await this.interchanges.create({ _id: key.id, plan: key.plan, uploadId, contentHash, status: 'APPLYING', updatedAt: now });
      return { outcome: 'CLAIMED' };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    const existing = await this.interchanges.findById(key.id).lean<X12InterchangeDocument>().exec();
    if (!existing) return { outcome: 'IN_PROGRESS' };
    if (existing.contentHash !== contentHash) return { outcome: 'DIFFERENT_FILE' };
    if (existing.status === 'APPLIED') return { outcome: 'RESEND', uploadId: existing.uploadId };
    if (existing.updatedAt.getTime() > now.getTime() - staleAfterMs) return { outcome: 'IN_PROGRESS' };
    const taken = await this.locked(key.id, () =>
      this.interchanges.updateOne({ _id: key.id, uploadId: existing.uploadId, status: 'APPLYING' }, { $set: { uploadId, updatedAt: now } }).exec(),
    );
    return taken.modifiedCount === 1 ? { outcome: 'CLAIMED' } : { outcome: 'IN_PROGRESS' };
  }

  async heartbeat(id: string, uploadId: string): Promise<void> {
    await this.locked(id, () => this.interchanges.updateOne({ _id: id, uploadId }, { $set: { updatedAt: new Date() } }).exec());
  }

  /** Applying failed: a resend may apply the file at once (applying it again gives the same roster). */
  async release(id: string, uploadId: string): Promise<void> {
    await this.locked(id, () => this.interchanges.deleteOne({ _id: id, uploadId, status: 'APPLYING' }).exec());
  }

  async applied(id: string, uploadId: string): Promise<void> {
    await this.locked(id, () => this.interchanges.updateOne({ _id: id, uploadId }, { $set: { status: 'APPLIED', updatedAt: new Date() } }).exec());
  }

  /**
   * On FerretDB two concurrent conditional writes can both match (two resends would both take over an
   * abandoned interchange and apply it at once, each REPLACE removing the other's spans); serialised there.
   */
  private locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.store.exclusive(documentKey(this.interchanges.collection, id), work);
  }
}
