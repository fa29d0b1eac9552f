import { VisitResponse } from '@crc/contracts';
import { Visit } from '../domain/visit';

/** What the kiosk sees of a visit; the member id itself is never echoed. */
export function visitResponse(visit: Visit): VisitResponse {
  return {
    visitId: visit.visitId,
    centerId: visit.centerId,
    status: visit.status,
    serviceDate: visit.serviceDate,
    checkedInAt: visit.checkedInAt.toISOString(),
    ...(visit.checkedOutAt ? { checkedOutAt: visit.checkedOutAt.toISOString() } : {}),
    memberIdGiven: visit.visitor.memberId !== undefined,
    selfReportedPlan: visit.visitor.selfReportedPlan,
    purposes: visit.purposes,
  };
}

/** The answer to a check-in is the visit as it was then, also when a retry asks again later. */
export function checkInResponse(visit: Visit): VisitResponse {
  return visitResponse({ ...visit, status: 'OPEN', checkedOutAt: undefined });
}
