import {
  HelpRequestedV1,
  HelpResolvedV1,
  HelpStatusChangedV1,
  VisitCheckedInV1,
  VisitCheckedOutV1,
  WifiSessionEndedV1,
  WifiSessionStartedV1,
} from '@crc/contracts';
import { EventFacts } from './event-facts';

/**
 * What each event of the producing services says about the visit, help case or Wi-Fi session it
 * names. Events arrive in any order: an event that can overtake the one that creates its subject
 * carries, as set-on-insert facts, what it knows of it.
 */
export const visitEventFacts = {
  checkedIn(eventId: string, data: VisitCheckedInV1): EventFacts {
    return {
      id: data.visitId,
      eventId,
      set: {
        centerId: data.centerId,
        serviceDate: data.serviceDate,
        checkInSeen: true,
        checkedInAt: new Date(data.occurredAt),
        purposes: data.purposes,
        selfReportedPlan: data.visitor.selfReportedPlan,
        ...(data.visitor.memberId ? { memberId: data.visitor.memberId } : {}),
      },
      setOnInsert: {},
    };
  },

  checkedOut(eventId: string, data: VisitCheckedOutV1): EventFacts {
    return {
      id: data.visitId,
      eventId,
      set: { checkedOutAt: new Date(data.occurredAt) },
      // A check-out can overtake its check-in; these facts then come from the check-out.
      setOnInsert: { centerId: data.centerId, serviceDate: data.serviceDate, checkedInAt: new Date(data.checkedInAt), checkInSeen: false },
    };
  },

  helpRequested(eventId: string, d: HelpRequestedV1): EventFacts {
    return {
      id: d.caseId,
      eventId,
      set: {
        caseType: d.caseType,
        openedAt: new Date(d.occurredAt),
        centerId: d.centerId,
        serviceDate: d.serviceDate,
        ...(d.visitId ? { visitId: d.visitId } : {}),
      },
      setOnInsert: {},
    };
  },

  helpStatusChanged(eventId: string, d: HelpStatusChangedV1): EventFacts {
    // Only establishes the case if its other events have not arrived yet; status itself is not needed downstream.
    return {
      id: d.caseId,
      eventId,
      set: { caseType: d.caseType },
      setOnInsert: { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
    };
  },

  helpResolved(eventId: string, d: HelpResolvedV1): EventFacts {
    return {
      id: d.caseId,
      eventId,
      set: { caseType: d.caseType, closedAt: new Date(d.occurredAt), outcome: d.outcome, minutesSpent: d.minutesSpent, openedAt: new Date(d.openedAt) },
      setOnInsert: { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
    };
  },

  wifiStarted(eventId: string, d: WifiSessionStartedV1): EventFacts {
    return {
      id: d.sessionId,
      eventId,
      set: { startedAt: new Date(d.occurredAt) },
      setOnInsert: { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate },
    };
  },

  wifiEnded(eventId: string, d: WifiSessionEndedV1): EventFacts {
    return {
      id: d.sessionId,
      eventId,
      set: { startedAt: new Date(d.startedAt), endedAt: new Date(d.occurredAt), durationMinutes: d.durationMinutes, endedBy: d.endedBy },
      setOnInsert: { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate },
    };
  },
};
