import { Inject, Injectable } from '@nestjs/common';
import { VisitCheckedInV1, VisitCheckedInV1Event } from '@crc/contracts';
import { ConsumedEvent } from '@crc/platform';
import { visitsToKnow } from '../../domain/visit-center';
import { KnownVisitRepository } from '../../persistence/known-visit.repository';
import { VISIT_DIRECTORY_OPTIONS, VisitDirectoryOptions } from '../../visit-directory.options';

/**
 * Remembers where each checked-in visit is, from `visit-checked-in` (redelivery changes nothing).
 * The event carries the visitor's member id: it is read here and never kept.
 */
@Injectable()
export class RecordCheckedInVisitsUseCase {
  constructor(
    private readonly visits: KnownVisitRepository,
    @Inject(VISIT_DIRECTORY_OPTIONS) private readonly options: VisitDirectoryOptions,
  ) {}

  async execute(events: ConsumedEvent[], now = new Date()): Promise<void> {
    const checkIns = events.filter((e) => e.definition.topic === VisitCheckedInV1Event.topic).map((e) => e.envelope.data as VisitCheckedInV1);
    const known = visitsToKnow(checkIns, this.options.retentionDays, now);
    if (known.length > 0) await this.visits.remember(known);
  }
}
