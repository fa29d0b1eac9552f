import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ErrorFormat } from '@crc/platform';
import { FhirOperationOutcome } from '@crc/contracts';
import { toOperationOutcome } from '@crc/attribution';

export const FHIR_JSON = 'application/fhir+json';

/** Every path under a plan's FHIR endpoint: where errors are OperationOutcome resources, even for a route that does not exist. */
const FHIR_PATH = /^\/v1\/partners\/[^/]+\/fhir(\/|$)/;

/**
 * FHIR clients read errors as OperationOutcome (application/fhir+json); same status and code as
 * anywhere else, the code under `apiErrorSystem` (the deployment's api-error code system).
 */
export function fhirErrorFormat(apiErrorSystem: string): ErrorFormat {
  return {
    appliesTo: (path) => FHIR_PATH.test(path),
    write: (reply, { status, body }) => {
      void reply.header('content-type', `${FHIR_JSON}; charset=utf-8`).send(toOperationOutcome({ status, ...body.error }, apiErrorSystem));
    },
  };
}

/** What each error status of the FHIR routes means; the code is in `issue.details.coding` and at the start of `diagnostics`. */
const FHIR_ERRORS: Record<number, string> = {
  400: 'A parameter is not valid (`REQUEST.VALIDATION_FAILED`, one issue per parameter problem; `FHIR.UNSUPPORTED_TYPE`).',
  401: '`AUTH.UNAUTHENTICATED`: no or unknown bearer token.',
  403: "`AUTH.WRONG_PLAN` (another plan's path) or `AUTH.ROLE_NOT_ALLOWED` (not a partner credential).",
  404: '`FHIR.EXPORT_NOT_FOUND`, `FHIR.DEFINITION_NOT_FOUND`, `PLAN.NOT_FOUND` or `ROUTE.NOT_FOUND`.',
  413: '`REQUEST.TOO_LARGE`.',
  415: '`REQUEST.UNSUPPORTED_MEDIA_TYPE` or `REQUEST.UNSUPPORTED_CHARSET`.',
  429: '`REQUEST.RATE_LIMITED`, with `Retry-After`.',
  500: '`INTERNAL`; `diagnostics` carries `errorId=<id>` to quote to support.',
  503: 'A dependency (the store) is unavailable; retry later.',
};

/** Documents the error answers of a FHIR route as OperationOutcome resources (all but `except`). */
export function ApiFhirErrors(options: { except?: number[] } = {}) {
  const schema = { $ref: getSchemaPath(FhirOperationOutcome) };
  return applyDecorators(
    ApiExtraModels(FhirOperationOutcome),
    ...Object.entries(FHIR_ERRORS)
      .filter(([status]) => !options.except?.includes(Number(status)))
      .map(([status, description]) => ApiResponse({ status: Number(status), description, content: { [FHIR_JSON]: { schema } } })),
  );
}
