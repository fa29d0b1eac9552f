import { Injectable } from '@nestjs/common';
import { placeVisit, VisitNotAtThisCenterError } from '../../domain/visit-center';
import { KnownVisitRepository } from '../../persistence/known-visit.repository';

/**
 * Refuses a visit id known to be of another center (VISIT.NOT_AT_THIS_CENTER). A visit not known
 * (yet) is let through: its check-in may still be on its way from an offline kiosk; reporting
 * attaches nothing to a visit of another center in any case.
 */
@Injectable()
export class EnsureVisitOfCenterUseCase {
  constructor(private readonly visits: KnownVisitRepository) {}

  async execute(centerId: string, visitId: string | undefined): Promise<void> {
    if (visitId === undefined) return;
    if (placeVisit(await this.visits.find(visitId), centerId) === 'OTHER_CENTER') throw new VisitNotAtThisCenterError();
  }
}
