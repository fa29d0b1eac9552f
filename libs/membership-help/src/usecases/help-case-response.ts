import { HelpCaseResponse } from '@crc/contracts';
import { HelpCase, isClosed, minutesSpent } from '../domain/help-case';

/**
 * What callers see of a case. Notes (PHI) only when staff read the case: write responses are
 * kept by the idempotency store for days, and the kiosk has no business with them.
 */
export function helpCaseResponse(helpCase: HelpCase, notes: 'include' | 'count' | 'omit'): HelpCaseResponse {
  return {
    caseId: helpCase.caseId,
    centerId: helpCase.centerId,
    ...(helpCase.visitId ? { visitId: helpCase.visitId } : {}),
    caseType: helpCase.caseType,
    status: helpCase.status,
    serviceDate: helpCase.serviceDate,
    requestedVia: helpCase.requestedVia,
    openedAt: helpCase.openedAt.toISOString(),
    ...(helpCase.assignee ? { assignee: helpCase.assignee } : {}),
    ...(helpCase.startedAt ? { startedAt: helpCase.startedAt.toISOString() } : {}),
    ...(helpCase.closedAt ? { closedAt: helpCase.closedAt.toISOString() } : {}),
    ...(helpCase.outcome ? { outcome: helpCase.outcome } : {}),
    ...(helpCase.escalatedTo ? { escalatedTo: helpCase.escalatedTo } : {}),
    ...(isClosed(helpCase.status) ? { minutesSpent: minutesSpent(helpCase) } : {}),
    ...(notes !== 'omit' ? { noteCount: helpCase.notes.length } : {}),
    ...(notes === 'include'
      ? { notes: helpCase.notes.map((n) => ({ noteId: n.noteId, note: n.note, addedAt: n.addedAt.toISOString(), addedBy: n.addedBy })) }
      : {}),
  };
}
