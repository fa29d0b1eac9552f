import { Injectable } from '@nestjs/common';
import { VisitResponse } from '@crc/contracts';
import { VisitNotFoundError } from '../../domain/visit.errors';
import { VisitRepositoryPort } from '../../domain/visit.repository.port';
import { visitResponse } from '../visit-response';

@Injectable()
export class ReadVisitUseCase {
  constructor(private readonly visits: VisitRepositoryPort) {}

  async execute(centerId: string, visitId: string): Promise<VisitResponse> {
    const stored = await this.visits.findAtCenter(centerId, visitId);
    if (!stored) throw new VisitNotFoundError();
    return visitResponse(stored.visit);
  }
}
