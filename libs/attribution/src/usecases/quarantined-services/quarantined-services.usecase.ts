import { Injectable } from '@nestjs/common';
import { QuarantinedServicesResponse } from '@crc/contracts';
import { countQuarantined } from '../../domain/service-join';
import { ServiceUseRepository } from '../../persistence/service-use.repository';

/**
 * What operations see of the services kept aside (they named a visit of another center): counts
 * per center, date and kind. No ids of visits, cases or sessions, no member identifiers.
 */
@Injectable()
export class QuarantinedServicesUseCase {
  constructor(private readonly services: ServiceUseRepository) {}

  async execute(): Promise<QuarantinedServicesResponse> {
    const kept = await this.services.quarantined();
    return { total: kept.length, counts: countQuarantined(kept) };
  }
}
