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
const IN_CHUNK = 1000;

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
    const chunks = identifiers
      ? Array.from({ length: Math.ceil(identifiers.length / IN_CHUNK) }, (_, i) => identifiers.slice(i * IN_CHUNK, (i + 1) * IN_CHUNK))
      : [undefined];
    for (const chunk of chunks) {
      for (let after = ''; ;) {
        const ids = await this.visits.visitIdsWithMember(from, chunk, after, PAGE);
        if (ids.length === 0) break;
        result.visitsChecked += ids.length;
        result.revisions += await this.attributeVisit.executeMany(await this.visits.getMany(ids));
        after = ids[ids.length - 1];
        await command.onPage?.();
      }
    }
    return result;
  }
}
