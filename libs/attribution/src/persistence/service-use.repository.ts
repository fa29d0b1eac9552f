import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { HelpRequestedV1, HelpResolvedV1, HelpStatusChangedV1, WifiSessionEndedV1, WifiSessionStartedV1 } from '@crc/contracts';
import { EventFacts, EventFactsApplier } from './event-facts.applier';
import { HelpCaseRecordDocument, WifiSessionRecordDocument } from './service-use.schema';

/** What the feeds say of a visit's services besides check-in. */
export interface VisitServices {
  membershipHelp: Array<{ caseType: string; outcome?: string; minutes?: number }>;
  telehealthWifiMinutes: number;
}

/** Help cases and Wi-Fi sessions, applied once per event id, converging whatever the order. */
@Injectable()
export class ServiceUseRepository {
  private readonly caseFacts: EventFactsApplier<HelpCaseRecordDocument>;
  private readonly sessionFacts: EventFactsApplier<WifiSessionRecordDocument>;

  constructor(
    @InjectModel(HelpCaseRecordDocument.name) private readonly cases: Model<HelpCaseRecordDocument>,
    @InjectModel(WifiSessionRecordDocument.name) private readonly sessions: Model<WifiSessionRecordDocument>,
  ) {
    this.caseFacts = new EventFactsApplier(cases);
    this.sessionFacts = new EventFactsApplier(sessions);
  }

  static helpRequestedFacts(eventId: string, d: HelpRequestedV1): EventFacts {
    return {
      id: d.caseId,
      eventId,
      set: { caseType: d.caseType, openedAt: new Date(d.occurredAt), centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
      setOnInsert: {},
    };
  }

  static helpStatusChangedFacts(eventId: string, d: HelpStatusChangedV1): EventFacts {
    // Only establishes the case if its other events have not arrived yet; status itself is not needed downstream.
    return { id: d.caseId, eventId, set: { caseType: d.caseType }, setOnInsert: { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) } };
  }

  static helpResolvedFacts(eventId: string, d: HelpResolvedV1): EventFacts {
    return {
      id: d.caseId,
      eventId,
      set: { caseType: d.caseType, closedAt: new Date(d.occurredAt), outcome: d.outcome, minutesSpent: d.minutesSpent, openedAt: new Date(d.openedAt) },
      setOnInsert: { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
    };
  }

  static wifiStartedFacts(eventId: string, d: WifiSessionStartedV1): EventFacts {
    return { id: d.sessionId, eventId, set: { startedAt: new Date(d.occurredAt) }, setOnInsert: { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate } };
  }

  static wifiEndedFacts(eventId: string, d: WifiSessionEndedV1): EventFacts {
    return {
      id: d.sessionId,
      eventId,
      set: { startedAt: new Date(d.startedAt), endedAt: new Date(d.occurredAt), durationMinutes: d.durationMinutes, endedBy: d.endedBy },
      setOnInsert: { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate },
    };
  }

  /** Applies a batch of help-case facts, each event once. */
  async applyHelpCases(facts: EventFacts[]): Promise<void> {
    await this.caseFacts.apply(facts);
  }

  /** Applies a batch of Wi-Fi session facts, each event once. */
  async applyWifiSessions(facts: EventFacts[]): Promise<void> {
    await this.sessionFacts.apply(facts);
  }

  /** What the feeds say of visits' services besides check-in: their help cases and Wi-Fi minutes (one query each per batch of visits). */
  async servicesOfVisits(visitIds: string[]): Promise<Map<string, VisitServices>> {
    const [cases, sessions] = await Promise.all([
      this.cases.find({ visitId: { $in: visitIds } }).sort({ _id: 1 }).lean<HelpCaseRecordDocument[]>().exec(),
      this.sessions.find({ visitId: { $in: visitIds } }).lean<WifiSessionRecordDocument[]>().exec(),
    ]);
    const services = new Map<string, VisitServices>(visitIds.map((id) => [id, { membershipHelp: [], telehealthWifiMinutes: 0 }]));
    for (const c of cases) {
      if (c.caseType && c.visitId) {
        services.get(c.visitId)?.membershipHelp.push({ caseType: c.caseType, ...(c.outcome ? { outcome: c.outcome } : {}), ...(c.minutesSpent !== undefined ? { minutes: c.minutesSpent } : {}) });
      }
    }
    for (const session of sessions) {
      const of = services.get(session.visitId);
      if (of) of.telehealthWifiMinutes += session.durationMinutes ?? 0;
    }
    return services;
  }

  helpCasesBetween(from: string, to: string, centerId?: string): Promise<HelpCaseRecordDocument[]> {
    return this.cases.find({ serviceDate: { $gte: from, $lte: to }, ...(centerId ? { centerId } : {}) }).lean<HelpCaseRecordDocument[]>().exec();
  }

  wifiSessionsBetween(from: string, to: string, centerId?: string): Promise<WifiSessionRecordDocument[]> {
    return this.sessions.find({ serviceDate: { $gte: from, $lte: to }, ...(centerId ? { centerId } : {}) }).lean<WifiSessionRecordDocument[]>().exec();
  }

  async removeAll(): Promise<void> {
    await Promise.all([this.cases.deleteMany({}).exec(), this.sessions.deleteMany({}).exec()]);
  }
}
