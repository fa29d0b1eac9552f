import { DomainError, serviceDateOf, VisitCheckedInV1 } from '@crc/contracts';

/** What a service knows of a visit: where and when it was checked in. No visitor, no PHI. */
export interface KnownVisit {
  visitId: string;
  centerId: string;
  serviceDate: string;
}

/**
 * Where a visit named by a request stands for the center making it. `UNKNOWN` is not a refusal:
 * an offline kiosk's check-in may reach us after the help case or session that names it.
 */
export type VisitPlacement = 'THIS_CENTER' | 'OTHER_CENTER' | 'UNKNOWN';

export function placeVisit(known: KnownVisit | undefined, centerId: string): VisitPlacement {
  if (!known) return 'UNKNOWN';
  return known.centerId === centerId ? 'THIS_CENTER' : 'OTHER_CENTER';
}

/**
 * The visit is known to be at another center. The answer says nothing of that visit (not which
 * center, not when): to a kiosk it is simply not a visit of its center.
 */
export class VisitNotAtThisCenterError extends DomainError {
  constructor() {
    super(
      'VISIT.NOT_AT_THIS_CENTER',
      'This visit was not checked in at this center; a help case or Wi-Fi session names a visit of its own center only.',
      'UNPROCESSABLE',
      [{ field: 'visitId', problems: ['not a visit of this center'] }],
    );
  }
}

/**
 * The visits a batch of check-ins makes known, leaving out those too old to be named by a new
 * help case or session (their service date is before the retention window).
 */
export function visitsToKnow(checkIns: VisitCheckedInV1[], retentionDays: number, now: Date): KnownVisit[] {
  const oldest = oldestServiceDateKept(retentionDays, now);
  return checkIns.filter((c) => c.serviceDate >= oldest).map((c) => ({ visitId: c.visitId, centerId: c.centerId, serviceDate: c.serviceDate }));
}

/** The first service date still kept: `retentionDays` days before today, in Los Angeles. */
export function oldestServiceDateKept(retentionDays: number, now: Date): string {
  return serviceDateOf(new Date(now.getTime() - retentionDays * 24 * 3600 * 1000));
}
