import { Injectable } from '@nestjs/common';
import { CoverageRepository, RosterUploadRepository } from '@crc/eligibility';
import { ReattributeVisitsUseCase } from '../reattribute-visits/reattribute-visits.usecase';

/** A worker holds an upload's job this long, and extends it while it works. */
const LEASE_MS = 60_000;
/** An upload that stored nothing new for this long was interrupted (its process died). */
const STALE_RECEIVING_MS = 5 * 60_000;

/**
 * Attributes again the visits of the members roster uploads touched, after the plan has had its
 * answer. The job is in the upload's record from the moment it was stored; it is removed only when
 * done, so a process that dies half-way leaves it for the next start or the periodic sweep (redoing
 * a re-attribution changes nothing). An upload interrupted while receiving is finished the same way,
 * for the spans it did store.
 */
@Injectable()
export class ReattributeAfterUploadUseCase {
  constructor(
    private readonly uploads: RosterUploadRepository,
    private readonly coverages: CoverageRepository,
    private readonly reattribute: ReattributeVisitsUseCase,
  ) {}

  /** Runs every due job; returns how many were finished. */
  async execute(now = new Date()): Promise<number> {
    let finished = 0;
    for (const { _id } of await this.uploads.due(now, STALE_RECEIVING_MS)) {
      const job = await this.uploads.claim(_id, new Date(), LEASE_MS, STALE_RECEIVING_MS);
      if (!job) continue;
      const identifiers = job.interrupted ? await this.coverages.identifiersWrittenBy(job.plan, job.uploadId) : job.identifiers;
      await this.reattribute.execute({ identifiers, onPage: () => this.uploads.extendLease(job, LEASE_MS) });
      // Not finished when the upload was stored meanwhile: the next sweep takes its full list.
      if (await this.uploads.reattributed(job)) finished++;
    }
    return finished;
  }
}
