import {
  MEMBER_ID_PATTERN,
  memberIdType,
  MemberIdType,
  normaliseMemberId,
  SelfReportedPlan,
  serviceDateOf,
  VisitCheckedInV1,
  VisitCheckedOutV1,
  VisitPurpose,
} from '@crc/contracts';
import { CheckOutBeforeCheckInError, InvalidMemberIdError, OccurredInFutureError, OccurredTooLongAgoError, VisitAlreadyCheckedOutError } from './visit.errors';

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

/** How far kiosk clocks are trusted: a little into the future (skew), as far back as the look-back window. */
export interface TimePolicy {
  clockSkewSeconds: number;
  lookbackDays: number;
}

export function assertPlausibleTime(occurredAt: Date, now: Date, policy: TimePolicy): void {
  if (occurredAt.getTime() > now.getTime() + policy.clockSkewSeconds * 1000) throw new OccurredInFutureError(policy.clockSkewSeconds);
  if (occurredAt.getTime() < now.getTime() - policy.lookbackDays * 24 * 3600 * 1000) throw new OccurredTooLongAgoError(policy.lookbackDays);
}

export function checkOut(visit: Visit, occurredAt: Date, recordedAt: Date): { visit: Visit; event: VisitCheckedOutV1 } {
  if (visit.status !== 'OPEN') throw new VisitAlreadyCheckedOutError();
  if (occurredAt.getTime() < visit.checkedInAt.getTime()) throw new CheckOutBeforeCheckInError();
  const closed: Visit = { ...visit, status: 'CHECKED_OUT', checkedOutAt: occurredAt };
  return {
    visit: closed,
    event: {
      visitId: visit.visitId,
      centerId: visit.centerId,
      serviceDate: visit.serviceDate,
      checkedInAt: visit.checkedInAt.toISOString(),
      occurredAt: occurredAt.toISOString(),
      recordedAt: recordedAt.toISOString(),
    },
  };
}
