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
