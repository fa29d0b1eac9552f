import { FHIR_API_ERROR_CONCEPTS } from './fhir-definitions';
import { narrative, paragraph } from './fhir-narrative';

/** An error as the service answers it anywhere: HTTP status, stable code, message (never PHI), details. */
export interface FhirErrorInput {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  errorId?: string;
}

/** R4 IssueType (http://hl7.org/fhir/issue-type) for each HTTP status a FHIR route answers. */
const ISSUE_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  408: 'timeout',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

const issueType = (status: number) => ISSUE_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'exception' : 'processing');

/** The per-parameter problems of a validation failure (`[{ field, problems }]`): names and rules only, never the value sent. */
function fieldProblems(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: { field?: unknown; problems?: unknown }) =>
    typeof d?.field === 'string' && Array.isArray(d.problems)
      ? d.problems.filter((p): p is string => typeof p === 'string').map((p) => `${d.field}: ${p}`)
      : [],
  );
}

/**
 * An error of a FHIR route as the FHIR way has it: an OperationOutcome. The machine-readable code
 * is in `issue.details.coding` (our api-error code system) and, for clients that read only text,
 * at the start of `diagnostics`; an internal error's id is in `diagnostics`, to quote to support.
 * Validation failures get one issue per parameter problem. Other details are not echoed: they are
 * for our own clients' JSON shape, and a FHIR client reads the code. `apiErrorSystem` is the
 * canonical URL of the api-error code system under the deployment's base.
 */
export function toOperationOutcome(error: FhirErrorInput, apiErrorSystem: string): Record<string, unknown> {
  const concept = FHIR_API_ERROR_CONCEPTS[error.code];
  const details = {
    ...(concept ? { coding: [{ system: apiErrorSystem, code: error.code, display: concept.display }] } : {}),
    text: error.message,
  };
  const base = { severity: 'error', code: issueType(error.status), details };
  const problems = fieldProblems(error.details);
  const issues =
    problems.length > 0
      ? problems.map((problem) => ({ ...base, diagnostics: `${error.code} ${problem}` }))
      : [{ ...base, diagnostics: error.errorId ? `${error.code} errorId=${error.errorId}` : error.code }];
  return {
    resourceType: 'OperationOutcome',
    text: narrative(
      paragraph(`${error.code}: ${error.message}`),
      ...problems.map(paragraph),
      ...(error.errorId ? [paragraph(`Error id: ${error.errorId}`)] : []),
    ),
    issue: issues,
  };
}

/** The body of a cancelled export's 202 (Bulk Data: optional, an OperationOutcome when present). */
export function exportCancelledOutcome(): Record<string, unknown> {
  const message = 'The export is cancelled: its status URL and files answer 404 from now on.';
  return {
    resourceType: 'OperationOutcome',
    text: narrative(paragraph(message)),
    issue: [{ severity: 'information', code: 'informational', diagnostics: message }],
  };
}
