import type { HelpCaseType, OpenHelpCaseRequest } from '@crc/contracts';

/** A request to open a help case; override what the test is about. */
export function aHelpCase(overrides: { caseType?: HelpCaseType; visitId?: string } = {}): OpenHelpCaseRequest {
  return { caseType: overrides.caseType ?? 'ENROLMENT_OR_RENEWAL', ...(overrides.visitId ? { visitId: overrides.visitId } : {}) };
}
