import { DomainError, HelpCaseStatus } from '@crc/contracts';

export class HelpCaseNotFoundError extends DomainError {
  constructor() {
    super('CASE.NOT_FOUND', 'No such help case at this center.', 'NOT_FOUND');
  }
}

export type HelpCaseAction = 'assign' | 'resolve' | 'escalate' | 'abandon';

const PAST: Record<HelpCaseAction, string> = { assign: 'assigned', resolve: 'resolved', escalate: 'escalated', abandon: 'abandoned' };

export class InvalidCaseTransitionError extends DomainError {
  constructor(status: HelpCaseStatus, action: HelpCaseAction, allowedFrom: readonly HelpCaseStatus[]) {
    super('CASE.INVALID_TRANSITION', `A ${status} case cannot be ${PAST[action]}; only a case that is ${allowedFrom.join(' or ')} can.`, 'CONFLICT', {
      status,
      action,
      allowedFrom,
    });
  }
}

export class TooManyNotesError extends DomainError {
  constructor(max: number) {
    super('CASE.TOO_MANY_NOTES', `A case holds at most ${max} notes.`, 'UNPROCESSABLE');
  }
}
