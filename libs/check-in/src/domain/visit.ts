import {
  MEMBER_ID_PATTERN,
  memberIdType,
  MemberIdType,
  normaliseMemberId,
  SelfReportedPlan,
  serviceDateOf,
  VisitCheckedInV1,
  VisitPurpose,
} from '@crc/contracts';
import { InvalidMemberIdError } from './visit.errors';

export type VisitStatus = 'OPEN' | 'CHECKED_OUT';

export interface Visitor {
  memberId?: string;
  memberIdType?: MemberIdType;
  selfReportedPlan: SelfReportedPlan;
  preferredLanguage?: string;
}

/** One person at one center on one service date, from check-in to check-out. */
export interface Visit {
  visitId: string;
  centerId: string;
  serviceDate: string;
  status: VisitStatus;
  checkedInAt: Date;
  checkedOutAt?: Date;
  /** When the service stored the check-in (differs from `checkedInAt` for kiosks syncing late). */
  recordedAt: Date;
  visitor: Visitor;
  purposes: VisitPurpose[];
}

export interface CheckInFacts {
  visitId: string;
  centerId: string;
  occurredAt: Date;
  recordedAt: Date;
  visitor?: { memberId?: string; selfReportedPlan?: SelfReportedPlan; preferredLanguage?: string };
  purposes: VisitPurpose[];
}

/** Normalises what the visitor typed; the result must still look like a member id or CIN. */
export function toVisitor(input: CheckInFacts['visitor']): Visitor {
  const visitor: Visitor = { selfReportedPlan: input?.selfReportedPlan ?? 'NONE' };
  if (input?.memberId !== undefined) {
    const memberId = normaliseMemberId(input.memberId);
    if (!MEMBER_ID_PATTERN.test(memberId)) throw new InvalidMemberIdError();
    visitor.memberId = memberId;
    visitor.memberIdType = memberIdType(memberId);
  }
  if (input?.preferredLanguage) visitor.preferredLanguage = input.preferredLanguage;
  return visitor;
}

export function checkIn(facts: CheckInFacts): { visit: Visit; event: VisitCheckedInV1 } {
  const visit: Visit = {
    visitId: facts.visitId,
    centerId: facts.centerId,
    serviceDate: serviceDateOf(facts.occurredAt),
    status: 'OPEN',
    checkedInAt: facts.occurredAt,
    recordedAt: facts.recordedAt,
    visitor: toVisitor(facts.visitor),
    purposes: [...new Set(facts.purposes)],
  };
  const event: VisitCheckedInV1 = {
    visitId: visit.visitId,
    centerId: visit.centerId,
    serviceDate: visit.serviceDate,
    occurredAt: visit.checkedInAt.toISOString(),
    recordedAt: visit.recordedAt.toISOString(),
    visitor: { ...visit.visitor },
    purposes: visit.purposes,
  };
  return { visit, event };
}
