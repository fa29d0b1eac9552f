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
import { EventFacts } from '../../domain/event-facts';
import { ServiceUseRepositoryPort } from '../../domain/service-use.repository.port';
import { visitEventFacts } from '../../domain/visit-event-facts';
import { VisitRecordRepositoryPort } from '../../domain/visit-record.repository.port';
import { AttributeVisitUseCase, VisitDecision, WithinVisit } from '../attribute-visit/attribute-visit.usecase';

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
 * Joins the events of every service into the visits' records, then attributes the visits again.
 * Events may arrive in any order and more than once; the records converge to the same state.
 * A batch is applied together: one read and at most one write per record, the attribution in the
 * same write as the facts.
 */
@Injectable()
export class RecordVisitEventsUseCase {
  constructor(
    private readonly visits: VisitRecordRepositoryPort,
    private readonly services: ServiceUseRepositoryPort,
    private readonly attributeVisit: AttributeVisitUseCase,
    private readonly changes: DashboardChanges,
  ) {}

  /**
   * `attribute: false` records the facts only (a rebuild attributes each visit once at the end,
   * so that half-replayed visits never reach the feeds).
   */
  async execute(events: ConsumedEvent[], options: { attribute?: boolean } = {}): Promise<void> {
    const visitFacts: EventFacts[] = [];
    const caseFacts: EventFacts[] = [];
    const sessionFacts: EventFacts[] = [];
    // Each visit touched by the batch, with the last event that touched it (whose trace its revision continues).
    const touched = new Map<string, ConsumedEvent>();
    for (const event of events) {
      const { id, data } = event.envelope;
      switch (event.definition.topic) {
        case VisitCheckedInV1Event.topic:
          visitFacts.push(visitEventFacts.checkedIn(id, data as VisitCheckedInV1));
          break;
        case VisitCheckedOutV1Event.topic:
          visitFacts.push(visitEventFacts.checkedOut(id, data as VisitCheckedOutV1));
          break;
        case HelpRequestedV1Event.topic:
          caseFacts.push(visitEventFacts.helpRequested(id, data as HelpRequestedV1));
          break;
        case HelpStatusChangedV1Event.topic:
          caseFacts.push(visitEventFacts.helpStatusChanged(id, data as HelpStatusChangedV1));
          break;
        case HelpResolvedV1Event.topic:
          caseFacts.push(visitEventFacts.helpResolved(id, data as HelpResolvedV1));
          break;
        case WifiSessionStartedV1Event.topic:
          sessionFacts.push(visitEventFacts.wifiStarted(id, data as WifiSessionStartedV1));
          break;
        case WifiSessionEndedV1Event.topic:
          sessionFacts.push(visitEventFacts.wifiEnded(id, data as WifiSessionEndedV1));
          break;
        default:
          continue;
      }
      const visitId = (data as { visitId?: string }).visitId;
      if (visitId) touched.set(visitId, event);
    }
    if (caseFacts.length > 0) await this.services.applyHelpCases(caseFacts);
    if (sessionFacts.length > 0) await this.services.applyWifiSessions(sessionFacts);
    if (options.attribute === false) {
      if (visitFacts.length > 0) await this.visits.apply(visitFacts);
    } else {
      // Every touched visit is attributed, also after a redelivery: the previous attempt may have stopped before this.
      let decisions: VisitDecision[] = [];
      let created: ReadonlySet<string> = new Set();
      const records = await this.visits.apply(visitFacts, async (changed, createdNow) => {
        created = createdNow;
        decisions = await this.attributeVisit.decide(changed);
        const now = new Date();
        return new Map(decisions.filter((d) => d.recordChanged).map((d) => [d.visitId, { attribution: { ...d.attribution, attributedAt: now } }]));
      });
      const within: WithinVisit = (visitId, work) => {
        const event = touched.get(visitId);
        return event ? withinTraceOf(event, work) : work();
      };
      // A visit whose record this batch created has no revision yet: its record is written before its
      // first revision, every time. (Should another writer have been quicker, the revision's write
      // conflicts and is read again.)
      await this.attributeVisit.publish(decisions, within, created);
      const decided = new Set(decisions.map((d) => d.visitId));
      const others = [...touched.keys()].filter((id) => !decided.has(id));
      const known = others.map((id) => records.get(id));
      const unread = others.filter((_, i) => !known[i]);
      const rest = [...known.filter((r): r is NonNullable<typeof r> => r !== undefined), ...(await this.visits.getMany(unread))];
      if (rest.length > 0) await this.attributeVisit.executeMany(rest, within);
    }
    if (events.length > 0) this.changes.notify();
  }
}
