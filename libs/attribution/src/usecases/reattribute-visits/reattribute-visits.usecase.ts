import { Inject, Injectable } from '@nestjs/common';
import { serviceDateOf } from '@crc/contracts';
import { AttributionPolicy } from '../../domain/attribution-policy';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { ATTRIBUTION_POLICY, AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';

export interface ReattributeVisitsCommand {
  /** Member ids and CINs whose coverage changed; undefined: every visitor who gave an id. */
  identifiers?: Iterable<string>;
  now?: Date;
  /** Called after each page (a long job shows it is alive). */
  onPage?: () => Promise<void>;
}

export interface ReattributionResult {
  visitsChecked: number;
  revisions: number;
}

const PAGE = 500;
/**
 * Members whose visits are read at once. Large: on FerretDB a read of many members reads the visits
 * once when that is cheaper than a statement per member (StoreProfile.findByKeys), and a roster's
 * first upload touches every member (40,000 ids for 20,000 members with their CINs).
 */
const MEMBERS_PER_READ = 10_000;

/**
 * After a roster changed (see ReattributeAfterUploadUseCase, which runs it after the upload's answer): attributes again every visit inside the look-back window whose visitor
 * gave one of the changed identifiers. Each changed attribution becomes a new revision, which the
 * feeds show as a correction of the record it supersedes; unchanged ones write nothing.
 */
@Injectable()
export class ReattributeVisitsUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly attributeVisit: AttributeVisitUseCase,
    @Inject(ATTRIBUTION_POLICY) private readonly policy: AttributionPolicy,
  ) {}

  async execute(command: ReattributeVisitsCommand): Promise<ReattributionResult> {
    const now = command.now ?? new Date();
    const from = serviceDateOf(new Date(now.getTime() - this.policy.lookbackDays * 24 * 3600 * 1000));
    const identifiers = command.identifiers ? [...command.identifiers] : undefined;
    const result: ReattributionResult = { visitsChecked: 0, revisions: 0 };
    const attributeAgain = async (ids: string[]) => {
      result.visitsChecked += ids.length;
      result.revisions += await this.attributeVisit.executeMany(await this.visits.getMany(ids));
      await command.onPage?.();
    };
    if (!identifiers) {
      for (let after = ''; ;) {
        const ids = await this.visits.visitIdsWithAnyMember(from, after, PAGE);
        if (ids.length === 0) break;
        await attributeAgain(ids);
        after = ids[ids.length - 1];
      }
      return result;
    }
    // The visits of a chunk of members are read at once, by member id (few visits each), then attributed a page at a time.
    for (let i = 0; i < identifiers.length; i += MEMBERS_PER_READ) {
      const ids = await this.visits.visitIdsOfMembers(from, identifiers.slice(i, i + MEMBERS_PER_READ));
      // A long read shows the job alive even when it found no visits.
      if (ids.length === 0) await command.onPage?.();
      for (let p = 0; p < ids.length; p += PAGE) await attributeAgain(ids.slice(p, p + PAGE));
    }
    return result;
  }
}
