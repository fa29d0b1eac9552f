import { Injectable } from '@nestjs/common';
import {
  HelpRequestedV1,
  HelpRequestedV1Event,
  HelpResolvedV1,
  HelpResolvedV1Event,
  HelpStatusChangedV1,
  HelpStatusChangedV1Event,
  VisitCheckedInV1,
  VisitCheckedInV1Event,
  VisitCheckedOutV1,
  VisitCheckedOutV1Event,
  WifiSessionEndedV1,
  WifiSessionEndedV1Event,
  WifiSessionStartedV1,
  WifiSessionStartedV1Event,
} from '@crc/contracts';
import { ConsumedEvent, withinTraceOf } from '@crc/platform';
import { DashboardChanges } from '../dashboard/dashboard-changes';
import { ServiceUseRepository } from '../../persistence/service-use.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';

/** The events of the three producing services that reporting joins into visit records. */
export const VISIT_EVENT_DEFINITIONS = [
  VisitCheckedInV1Event,
  VisitCheckedOutV1Event,
  HelpRequestedV1Event,
  HelpStatusChangedV1Event,
  HelpResolvedV1Event,
  WifiSessionStartedV1Event,
  WifiSessionEndedV1Event,
];

/**
 * Joins the events of every service into the visit's record, then attributes it again.
 * Events may arrive in any order and more than once; the record converges to the same state.
 */
@Injectable()
export class RecordVisitEventsUseCase {
  constructor(
    private readonly visits: VisitRecordRepository,
    private readonly services: ServiceUseRepository,
    private readonly attributeVisit: AttributeVisitUseCase,
    private readonly changes: DashboardChanges,
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
        case HelpRequestedV1Event.topic:
          await this.services.helpRequested(id, data as HelpRequestedV1);
          break;
        case HelpStatusChangedV1Event.topic:
          await this.services.helpStatusChanged(id, data as HelpStatusChangedV1);
          break;
        case HelpResolvedV1Event.topic:
          await this.services.helpResolved(id, data as HelpResolvedV1);
          break;
        case WifiSessionStartedV1Event.topic:
          await this.services.wifiStarted(id, data as WifiSessionStartedV1);
          break;
        case WifiSessionEndedV1Event.topic:
          await this.services.wifiEnded(id, data as WifiSessionEndedV1);
          break;
        default:
          continue;
      }
      this.changes.notify();
      // Even when the event was a redelivery: the previous attempt may have stopped before this.
      const visitId = (data as { visitId?: string }).visitId;
      // In the event's trace: the feed entries it publishes continue the check-in's trace.
      if (visitId && options.attribute !== false) await withinTraceOf(event, () => this.attributeVisit.execute(visitId));
    }
  }
}
