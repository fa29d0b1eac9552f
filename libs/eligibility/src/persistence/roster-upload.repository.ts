import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { documentKey, StoreProfile } from '@crc/platform';
import { RosterUploadDocument } from './roster-upload.schema';

/** What the audit shows of an upload: no identifiers. */
export type RosterUploadAudit = Omit<RosterUploadDocument, 'touched' | 'leaseUntil' | 'updatedAt' | 'jobVersion'>;

/** An upload whose visits still need attributing again. */
export interface PendingReattribution {
  uploadId: string;
  plan: PartnerPlan;
  /** Undefined: every visitor in the look-back window. */
  identifiers?: string[];
  /** Receiving stopped half-way (the process died): the identifiers are those of the spans it stored. */
  interrupted: boolean;
  /** The job's version when claimed: extending and finishing hold only while it is still this one. */
  version: number;
}

/** The condition that the job is still the version a worker claimed (uploads stored before versions count as 0). */
function stillVersion(version: number): Record<string, unknown> {
  return version === 0 ? { $or: [{ jobVersion: 0 }, { jobVersion: { $exists: false } }] } : { jobVersion: version };
}

@Injectable()
export class RosterUploadRepository {
  constructor(
    @InjectModel(RosterUploadDocument.name) private readonly uploads: Model<RosterUploadDocument>,
    private readonly store: StoreProfile,
  ) {}

  async begin(upload: Pick<RosterUploadDocument, '_id' | 'plan' | 'mode' | 'format' | 'uploadedBy'>): Promise<void> {
    const now = new Date();
    await this.uploads.create({ ...upload, receivedAt: now, status: 'RECEIVING', accepted: 0, rejected: 0, removed: 0, jobVersion: 0, updatedAt: now });
  }

  /** A heartbeat while lines are stored. */
  async progress(uploadId: string, counts: { accepted: number; rejected: number }): Promise<void> {
    await this.locked(uploadId, () => this.uploads.updateOne({ _id: uploadId, status: 'RECEIVING' }, { $set: { ...counts, updatedAt: new Date() } }).exec());
  }

  /**
   * The upload is stored; in the same write, the job of attributing its members' visits again.
   * `mode`: when the upload itself said which (an 834's BGN08). A sweep that took the upload for
   * interrupted meanwhile knew only the spans stored by then: the new version ends its hold, and
   * the job is due at once.
   */
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
            $unset: { leaseUntil: '' },
            $inc: { jobVersion: 1 },
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
        .lean<Pick<RosterUploadDocument, '_id' | 'plan' | 'status' | 'touched' | 'touchedAll' | 'jobVersion'>>()
        .exec();
      if (!doc) return undefined;
      const interrupted = doc.status === 'RECEIVING';
      if (interrupted) {
        // Unless the upload was stored in between (MongoDB runs the two writes apart): its outcome stands.
        await this.uploads
          .updateOne({ _id: uploadId, status: 'RECEIVING' }, { $set: { status: 'REATTRIBUTING', outcome: 'INTERRUPTED', updatedAt: now } })
          .exec();
      }
      return { uploadId, plan: doc.plan, identifiers: doc.touchedAll ? undefined : (doc.touched ?? []), interrupted, version: doc.jobVersion ?? 0 };
    });
  }

  /** Keeps the lease of a job while it is still the version the worker claimed. */
  async extendLease(job: Pick<PendingReattribution, 'uploadId' | 'version'>, leaseMs: number): Promise<void> {
    await this.locked(job.uploadId, () =>
      this.uploads
        .updateOne({ _id: job.uploadId, status: 'REATTRIBUTING', ...stillVersion(job.version) }, { $set: { leaseUntil: new Date(Date.now() + leaseMs) } })
        .exec(),
    );
  }

  /**
   * Re-attribution of the claimed version finished: the identifiers go, the audit stays. False when
   * the job changed meanwhile (the upload was stored after all): it stays due, with its full list.
   */
  async reattributed(job: Pick<PendingReattribution, 'uploadId' | 'version'>): Promise<boolean> {
    const now = new Date();
    const { matchedCount } = await this.locked(job.uploadId, () =>
      this.uploads
        .updateOne(
          { _id: job.uploadId, ...stillVersion(job.version) },
          { $set: { status: 'DONE', reattributedAt: now, updatedAt: now }, $unset: { touched: '', touchedAll: '', leaseUntil: '' } },
        )
        .exec(),
    );
    return matchedCount > 0;
  }

  /** The audit list, newest first. */
  async list(limit: number, before?: Date): Promise<RosterUploadAudit[]> {
    return this.uploads
      .find(before ? { receivedAt: { $lt: before } } : {}, { touched: 0, leaseUntil: 0, updatedAt: 0, jobVersion: 0 })
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
