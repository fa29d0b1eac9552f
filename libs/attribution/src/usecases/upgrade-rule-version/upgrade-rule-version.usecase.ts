import { Injectable } from '@nestjs/common';
import { ATTRIBUTION_RULE_VERSION } from '@crc/contracts';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';

const PAGE = 500;

/**
 * After the rules changed: attributes again every visit last attributed under an older version.
 * A visit whose new attribution shows the same in the feeds gets no revision (only its records
 * learn the version); one that differs gets a correction, like any other change.
 */
@Injectable()
export class UpgradeRuleVersionUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly attributeVisit: AttributeVisitUseCase,
  ) {}

  /** Returns how many revisions were recorded. */
  async execute(): Promise<{ visits: number; revisions: number }> {
    const result = { visits: 0, revisions: 0 };
    for (let after = ''; ;) {
      const ids = await this.visits.visitIdsAttributedBefore(ATTRIBUTION_RULE_VERSION, after, PAGE);
      if (ids.length === 0) return result;
      result.visits += ids.length;
      result.revisions += await this.attributeVisit.executeMany(await this.visits.getMany(ids));
      after = ids[ids.length - 1];
    }
  }
}
