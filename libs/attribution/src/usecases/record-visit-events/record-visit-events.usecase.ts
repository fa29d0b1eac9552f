import { Injectable } from '@nestjs/common';
import { VisitCheckedInV1, VisitCheckedInV1Event, VisitCheckedOutV1, VisitCheckedOutV1Event } from '@crc/contracts';
import { ConsumedEvent } from '@crc/platform';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';

/** The visit events reporting consumes. */
export const VISIT_EVENT_DEFINITIONS = [VisitCheckedInV1Event, VisitCheckedOutV1Event];

/**
 * Joins the events of every service into the visit's record, then attributes it again.
 * Events may arrive in any order and more than once; the record converges to the same state.
 */
@Injectable()
export class RecordVisitEventsUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly attributeVisit: AttributeVisitUseCase,
  ) {}

  /**
   * `attribute: false` records the facts only (a rebuild attributes each visit once at the end,
   * so that half-replayed visits never reach the feeds).
   */
  async execute(events: ConsumedEvent[], options: { attribute?: boolean } = {}): Promise<void> {
    for (const event of events) {
      const { id, data } = event.envelope;
      switch (event.definition.topic) {
        case VisitCheckedInV1Event.topic:
          await this.visits.applyCheckIn(id, data as VisitCheckedInV1);
          break;
        case VisitCheckedOutV1Event.topic:
          await this.visits.applyCheckOut(id, data as VisitCheckedOutV1);
          break;
        default:
          continue;
      }
      // Even when the event was a redelivery: the previous attempt may have stopped before this.
      if (options.attribute !== false) await this.attributeVisit.execute((data as { visitId: string }).visitId);
    }
  }
}
