import { Injectable } from '@nestjs/common';
import { OpenVisitsResponse, serviceDateOf } from '@crc/contracts';
import { CenterDirectory } from '@crc/platform';
import { VisitRepositoryPort } from '../../domain/visit.repository.port';
import { visitResponse } from '../visit-response';

const MAX_OPEN_VISITS = 1000;

/** The front desk's view: who is still in, oldest first (today, unless another date is asked for). */
@Injectable()
export class ListOpenVisitsUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly visits: VisitRepositoryPort,
  ) {}

  async execute(centerId: string, serviceDate = serviceDateOf(new Date())): Promise<OpenVisitsResponse> {
    this.centers.get(centerId);
    const visits = await this.visits.listOpen(centerId, serviceDate, MAX_OPEN_VISITS);
    return { serviceDate, items: visits.map(visitResponse) };
  }
}
