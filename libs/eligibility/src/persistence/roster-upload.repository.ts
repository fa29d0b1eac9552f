import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { documentKey, StoreProfile } from '@crc/platform';
import { RosterUploadDocument } from './roster-upload.schema';

/** What the audit shows of an upload: no identifiers. */
export type RosterUploadAudit = Omit<RosterUploadDocument, 'touched' | 'leaseUntil' | 'updatedAt'>;

/** An upload whose visits still need attributing again. */
export interface PendingReattribution {
  uploadId: string;
  plan: PartnerPlan;
  /** Undefined: every visitor in the look-back window. */
  identifiers?: string[];
  /** Receiving stopped half-way (the process died): the identifiers are those of the spans it stored. */
  interrupted: boolean;
}

@Injectable()
export class RosterUploadRepository {
  constructor(
    @InjectModel(RosterUploadDocument.name) private readonly uploads: Model<RosterUploadDocument>,
    private readonly store: StoreProfile,
  ) {}

  async begin(upload: Pick<RosterUploadDocument, '_id' | 'plan' | 'mode' | 'format' | 'uploadedBy'>): Promise<void> {
    const now = new Date();
    await this.uploads.create({ ...upload, receivedAt: now, status: 'RECEIVING', accepted: 0, rejected: 0, removed: 0, updatedAt: now });
  }

  /** A heartbeat while lines are stored. */
  async progress(uploadId: string, counts: { accepted: number; rejected: number }): Promise<void> {
    await this.locked(uploadId, () => this.uploads.updateOne({ _id: uploadId, status: 'RECEIVING' }, { $set: { ...counts, updatedAt: new Date() } }).exec());
  }

  /** The upload is stored; in the same write, the job of attributing its members' visits again. */
  /** `mode`: when the upload itself said which (an 834's BGN08). */
  async stored(
    uploadId: string,
    counts: { accepted: number; rejected: number; removed: number },
    touched: string[] | 'ALL',
    mode?: 'REPLACE' | 'MERGE',
  ): Promise<void> {
    const now = new Date();
    await this.locked(uploadId, () =>
      this.uploads
        .updateOne(
          { _id: uploadId },
          {
            $set: {
              ...counts,
              ...(mode ? { mode } : {}),
              status: 'REATTRIBUTING',
              outcome: 'ACCEPTED',
              finishedAt: now,
              updatedAt: now,
              ...(touched === 'ALL' ? { touchedAll: true } : { touched }),
            },
          },
        )
        .exec(),
    );
  }

  async refused(uploadId: string, outcome: string, counts: { accepted: number; rejected: number }, mode?: 'REPLACE' | 'MERGE'): Promise<void> {
    const now = new Date();
    await this.locked(uploadId, () =>
      this.uploads
        .updateOne({ _id: uploadId }, { $set: { ...counts, ...(mode ? { mode } : {}), status: 'REFUSED', outcome, finishedAt: now, updatedAt: now } })
        .exec(),
    );
  }

  /**
   * Uploads whose re-attribution is due: stored ones nobody is working on, and ones that stopped
   * receiving more than `staleAfterMs` ago. One query (the collection holds one small document per upload).
   */
  async due(now: Date, staleAfterMs: number): Promise<Array<Pick<RosterUploadDocument, '_id' | 'status'>>> {
    return this.uploads
      .find(
        {
          $or: [
            { status: 'REATTRIBUTING', $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }] },
            { status: 'RECEIVING', updatedAt: { $lt: new Date(now.getTime() - staleAfterMs) } },
          ],
        },
        { _id: 1, status: 1 },
      )
      .sort({ receivedAt: 1 })
      .lean<Array<Pick<RosterUploadDocument, '_id' | 'status'>>>()
      .exec();
  }

  /** Takes the job for `leaseMs` (or extends it); undefined when another worker holds it or it is done. */
  async claim(uploadId: string, now: Date, leaseMs: number, staleAfterMs: number): Promise<PendingReattribution | undefined> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return this.locked(uploadId, async () => {
      const doc = await this.uploads
        .findOneAndUpdate(
          {
            _id: uploadId,
            $or: [
              { status: 'REATTRIBUTING', $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }] },
              { status: 'RECEIVING', updatedAt: { $lt: new Date(now.getTime() - staleAfterMs) } },
            ],
          },
          { $set: { leaseUntil } },
          // No projection: FerretDB 1.24 does not implement one on findAndModify.
          { new: false },
        )
        .lean<Pick<RosterUploadDocument, '_id' | 'plan' | 'status' | 'touched' | 'touchedAll'>>()
        .exec();
      if (!doc) return undefined;
      const interrupted = doc.status === 'RECEIVING';
      if (interrupted) {
        await this.uploads.updateOne({ _id: uploadId }, { $set: { status: 'REATTRIBUTING', outcome: 'INTERRUPTED', updatedAt: now } }).exec();
      }
      return { uploadId, plan: doc.plan, identifiers: doc.touchedAll ? undefined : (doc.touched ?? []), interrupted };
    });
  }

  async extendLease(uploadId: string, leaseMs: number): Promise<void> {
    await this.locked(uploadId, () =>
      this.uploads.updateOne({ _id: uploadId, status: 'REATTRIBUTING' }, { $set: { leaseUntil: new Date(Date.now() + leaseMs) } }).exec(),
    );
  }

  /** Re-attribution finished: the identifiers go, the audit stays. */
  async reattributed(uploadId: string): Promise<void> {
    const now = new Date();
    await this.locked(uploadId, () =>
      this.uploads
        .updateOne(
          { _id: uploadId },
          { $set: { status: 'DONE', reattributedAt: now, updatedAt: now }, $unset: { touched: '', touchedAll: '', leaseUntil: '' } },
        )
        .exec(),
    );
  }

  /** The audit list, newest first. */
  async list(limit: number, before?: Date): Promise<RosterUploadAudit[]> {
    return this.uploads
      .find(before ? { receivedAt: { $lt: before } } : {}, { touched: 0, leaseUntil: 0, updatedAt: 0 })
      .sort({ receivedAt: -1 })
      .limit(limit)
      .lean<RosterUploadAudit[]>()
      .exec();
  }

  /**
   * The sweep may claim an upload that is still receiving (silent past `staleAfterMs`); on FerretDB
   * two writes of one document at once lose one (the lease, or the upload's answer); serialised there.
   */
  private locked<T>(uploadId: string, work: () => Promise<T>): Promise<T> {
    return this.store.exclusive(documentKey(this.uploads.collection, uploadId), work);
  }
}
