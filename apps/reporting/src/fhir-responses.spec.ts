import { HttpException, NotFoundException } from '@nestjs/common';
import { FHIR_API_ERROR_CONCEPTS, FhirDefinitionNotFoundError, FhirExportNotFoundError, UnsupportedFhirTypeError } from '@crc/attribution';
import { RequestValidationError } from '@crc/contracts';
import { AuthenticationRequiredError, ForbiddenError, RateLimitedError, StoreBusyError, toErrorReply } from '@crc/platform';
import { fhirErrorFormat } from './fhir-responses';
import { UnknownPlanError } from './partner-plan.pipe';

const FHIR_ERROR_FORMAT = fhirErrorFormat('https://fhir.partners.crc.test/canonical/CodeSystem/api-error');

describe('errors of the FHIR endpoint', () => {
  it("are OperationOutcome for every path under a plan's FHIR base, and only there", () => {
    for (const path of [
      '/v1/partners/LA_CARE/fhir',
      '/v1/partners/LA_CARE/fhir/$export',
      '/v1/partners/NOPE/fhir/exports/x/Encounter.ndjson',
      '/v1/partners/LA_CARE/fhir/Patient/1',
    ]) {
      expect([path, FHIR_ERROR_FORMAT.appliesTo(path)]).toEqual([path, true]);
    }
    for (const path of ['/v1/partners/LA_CARE/utilization', '/v1/partners/LA_CARE/fhirish', '/health', '/docs-json']) {
      expect([path, FHIR_ERROR_FORMAT.appliesTo(path)]).toEqual([path, false]);
    }
  });

  it('carry codes that the published api-error code system defines, whatever raised them', () => {
    const raised = [
      new AuthenticationRequiredError(),
      new RateLimitedError(3),
      new ForbiddenError('AUTH.ROLE_NOT_ALLOWED', 'x'),
      new ForbiddenError('AUTH.WRONG_PLAN', 'x'),
      new UnknownPlanError(),
      new RequestValidationError([{ field: '_since', problems: ['x'] }]),
      new FhirExportNotFoundError(),
      new UnsupportedFhirTypeError(),
      new FhirDefinitionNotFoundError(),
      new NotFoundException(),
      ...[400, 403, 405, 406, 413, 415, 429, 418].map((status) => new HttpException('x', status)),
      ...[
        'FST_ERR_CTP_INVALID_JSON_BODY',
        'FST_ERR_CTP_EMPTY_JSON_BODY',
        'FST_ERR_CTP_BODY_TOO_LARGE',
        'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
        'FST_ERR_CTP_INVALID_TYPE',
      ].map((code) => Object.assign(new Error('x'), { code })),
      Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' }),
      new StoreBusyError('fhir_exports', 'waited 5000 ms for its turn'),
      new Error('a bug'),
    ];
    const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
    const undefinedCodes = raised.map((e) => toErrorReply(e, quiet).body.error.code).filter((code) => !FHIR_API_ERROR_CONCEPTS[code]);
    expect(undefinedCodes).toEqual([]);
  });
});
