import { DomainError } from '@crc/contracts';

export class InvalidMemberIdError extends DomainError {
  constructor() {
    super('VISIT.INVALID_MEMBER_ID', 'memberId must be 3 to 32 letters, digits or dashes.', 'INVALID', [
      { field: 'visitor.memberId', problems: ['must be 3 to 32 letters, digits or dashes'] },
    ]);
  }
}

export class VisitNotFoundError extends DomainError {
  constructor() {
    super('VISIT.NOT_FOUND', 'No such visit at this center.', 'NOT_FOUND');
  }
}

export class VisitAlreadyCheckedOutError extends DomainError {
  constructor() {
    super('VISIT.ALREADY_CHECKED_OUT', 'This visit is already checked out.', 'CONFLICT');
  }
}

export class CheckOutBeforeCheckInError extends DomainError {
  constructor() {
    super('VISIT.CHECK_OUT_BEFORE_CHECK_IN', 'The check-out time is before the check-in time.', 'UNPROCESSABLE');
  }
}

export class OccurredInFutureError extends DomainError {
  constructor(allowanceSeconds: number) {
    super(
      'VISIT.OCCURRED_IN_FUTURE',
      `occurredAt is in the future (beyond the ${allowanceSeconds} s clock-skew allowance); check the kiosk clock.`,
      'UNPROCESSABLE',
    );
  }
}

export class OccurredTooLongAgoError extends DomainError {
  constructor(lookbackDays: number) {
    super('VISIT.TOO_OLD', `occurredAt is more than ${lookbackDays} days ago, outside the look-back window.`, 'UNPROCESSABLE');
  }
}

export class VisitReferenceMissingError extends DomainError {
  constructor() {
    super('VISIT.REFERENCE_REQUIRED', 'A check-out needs exactly one of visitId or checkInIdempotencyKey.', 'INVALID');
  }
}
