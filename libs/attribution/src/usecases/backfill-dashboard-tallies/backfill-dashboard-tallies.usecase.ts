import { Injectable } from '@nestjs/common';
import { DashboardTallyRepository } from '../../persistence/dashboard-tally.repository';
import { ServiceUseRepository } from '../../persistence/service-use.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';

const PAGE = 200;

/**
 * Once per store: writes the dashboard's tallies from the records kept before tallies existed.
 * Events applied meanwhile keep their tallies current; the backfill never overwrites them with an
 * older state (see the repositories' retallyAll). Running it again changes nothing.
 */
@Injectable()
export class BackfillDashboardTalliesUseCase {
  constructor(
    private readonly tallies: DashboardTallyRepository,
    private readonly visits: VisitRecordRepository,
    private readonly services: ServiceUseRepository,
  ) {}

  /** Returns how many records were tallied (0 when done before). */
  async execute(): Promise<{ records: number }> {
    if (await this.tallies.backfilled()) return { records: 0 };
    const records = (await this.visits.retallyAll(PAGE)) + (await this.services.retallyAll(PAGE));
    await this.tallies.markBackfilled();
    return { records };
  }
}
