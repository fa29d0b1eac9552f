import { fhirR4Problems } from '@crc/testing';
import { exportCancelledOutcome, toOperationOutcome } from './fhir-operation-outcome';

const API_ERRORS = 'https://fhir.partners.crc.test/canonical/CodeSystem/api-error';

type Resource = Record<string, any>;

describe('errors of the FHIR routes as OperationOutcome', () => {
  it('keeps the code machine-readable (our api-error code system and the start of diagnostics) with the issue type of the status', () => {
    const outcome = toOperationOutcome({ status: 404, code: 'FHIR.EXPORT_NOT_FOUND', message: 'No such export for this plan.' }, API_ERRORS) as Resource;
    expect(fhirR4Problems(outcome)).toEqual([]);
    expect(outcome.issue).toEqual([
      {
        severity: 'error',
        code: 'not-found',
        details: {
          coding: [{ system: API_ERRORS, code: 'FHIR.EXPORT_NOT_FOUND', display: 'No such export' }],
          text: 'No such export for this plan.',
        },
        diagnostics: 'FHIR.EXPORT_NOT_FOUND',
      },
    ]);
    expect(outcome.text.div).toContain('FHIR.EXPORT_NOT_FOUND: No such export for this plan.');
    const types = [400, 401, 403, 404, 413, 415, 429, 500, 503].map(
      (status) => (toOperationOutcome({ status, code: 'INTERNAL', message: 'x' }, API_ERRORS) as Resource).issue[0].code,
    );
    expect(types).toEqual(['invalid', 'login', 'forbidden', 'not-found', 'too-long', 'not-supported', 'throttled', 'exception', 'transient']);
  });

  it('gives each parameter problem an issue, naming the parameter and the rule, never the value sent', () => {
    const outcome = toOperationOutcome(
      {
        status: 400,
        code: 'REQUEST.VALIDATION_FAILED',
        message: 'The request is not valid.',
        details: [
          { field: '_since', problems: ['must be a date-time as YYYY-MM-DDThh:mm:ssZ'], value: 'LAC100001' },
          { field: '_type', problems: ['unknown'] },
        ],
      },
      API_ERRORS,
    ) as Resource;
    expect(fhirR4Problems(outcome)).toEqual([]);
    expect(outcome.issue.map((i: Resource) => i.diagnostics)).toEqual([
      'REQUEST.VALIDATION_FAILED _since: must be a date-time as YYYY-MM-DDThh:mm:ssZ',
      'REQUEST.VALIDATION_FAILED _type: unknown',
    ]);
    expect(JSON.stringify(outcome)).not.toContain('LAC100001');
  });

  it('echoes no other details, carries the error id of an internal error, and leaves out the coding of a code it does not publish', () => {
    const limited = toOperationOutcome(
      {
        status: 429,
        code: 'REQUEST.RATE_LIMITED',
        message: 'Too many requests; retry in 3 s.',
        details: { retryAfterSeconds: 3, memberId: 'LAC100001' },
      },
      API_ERRORS,
    );
    expect(JSON.stringify(limited)).not.toContain('LAC100001');
    const internal = toOperationOutcome(
      { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side.', errorId: 'e-1' },
      API_ERRORS,
    ) as Resource;
    expect(internal.issue[0].diagnostics).toBe('INTERNAL errorId=e-1');
    expect(internal.text.div).toContain('Error id: e-1');
    const unpublished = toOperationOutcome({ status: 409, code: 'SOMETHING.ELSE', message: 'Refused & <logged>.' }, API_ERRORS) as Resource;
    expect(fhirR4Problems(unpublished)).toEqual([]);
    expect(unpublished.issue[0]).toEqual({ severity: 'error', code: 'conflict', details: { text: 'Refused & <logged>.' }, diagnostics: 'SOMETHING.ELSE' });
    expect(unpublished.text.div).toContain('Refused &amp; &lt;logged&gt;.');
  });

  it('answers a cancelled export with an informational outcome', () => {
    const outcome = exportCancelledOutcome() as Resource;
    expect(fhirR4Problems(outcome)).toEqual([]);
    expect(outcome.issue).toEqual([expect.objectContaining({ severity: 'information', code: 'informational' })]);
  });
});
