import { Controller, Delete, Get, HttpCode, Param, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { BulkDataManifest, exportCancelledOutcome, FhirExportNotFoundError, FhirExportUseCase } from '@crc/attribution';
import { FhirOperationOutcome, PARTNER_PLANS } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { Authorize, CurrentPrincipal, Principal, dateTimeQuery } from '@crc/platform';
import { ApiFhirErrors, FHIR_JSON } from './fhir-responses';
import { PartnerPlanPipe } from './partner-plan.pipe';
import { ReportingEnvironment } from './reporting.environment';

/** The path of a request URL without its query string, which may carry a token and is never stored nor echoed. */
const pathOf = (url: string) => url.split('?')[0];

@ApiTags('FHIR bulk export')
@ApiBearerAuth()
@ApiParam({ name: 'plan', enum: PARTNER_PLANS })
@ApiFhirErrors()
@Controller('v1/partners/:plan/fhir')
export class FhirExportHttpController {
  private readonly baseUrl: string;

  constructor(
    private readonly fhirExport: FhirExportUseCase,
    config: ReportingEnvironment,
  ) {
    // Absolute URLs from configuration only: a forged Host header must not send a client, with its token, elsewhere.
    this.baseUrl = config.publicBaseUrl;
  }

  @Get('$export')
  @HttpCode(202)
  @Authorize('partner')
  @ApiOperation({
    summary: 'Kick off a FHIR Bulk Data export of the utilization feed',
    description:
      'FHIR R4 resources of the feed: one `Encounter` per visit with a record in the export, as its latest revision says (`id` = visit id, ' +
      '`meta.versionId` = revision; `finished` once checked out, `in-progress` before, `entered-in-error` when the visit is no longer the ' +
      "plan's), with the `Patient` and `Coverage` resources it references. Patient and Coverage ids are pseudonymous (a keyed hash of plan " +
      'and member id: stable for the plan, meaningless to anyone else); the member id or CIN appears only in `Patient.identifier`, never in ' +
      'an id or a reference. Follows the Bulk Data flow: 202 with `Content-Location`, poll it for the manifest, ' +
      'then fetch each NDJSON file with the same bearer token.',
  })
  @ApiQuery({ name: '_type', required: false, description: 'Comma-separated: Encounter, Patient, Coverage (default: all three).' })
  @ApiQuery({ name: '_since', required: false, description: 'FHIR instant: only records published from then on.' })
  @ApiAcceptedResponse({
    description: 'Accepted; no body. Poll the status URL.',
    headers: {
      'Content-Location': { description: 'The absolute status URL of the export, under PUBLIC_BASE_URL.', schema: { type: 'string', format: 'uri' } },
    },
  })
  async kickOff(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('_type') types: string | undefined,
    @Query('_since') since: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const sinceDate = dateTimeQuery('_since', since);
    const exportId = await this.fhirExport.start(plan, principal.credentialId, `${this.baseUrl}${pathOf(request.url)}`, types, sinceDate);
    void reply.header('Content-Location', `${this.baseUrl}/v1/partners/${plan}/fhir/exports/${exportId}`);
  }

  @Get('exports/:exportId')
  @Authorize('partner')
  @ApiOperation({
    summary: 'Status of an export: its manifest once complete (exports complete at once)',
    description:
      'The Bulk Data manifest: the NDJSON files of the export, each fetched with the same bearer token; 404 `FHIR.EXPORT_NOT_FOUND` once the export is cancelled.',
  })
  @ApiOkResponse({
    description: 'The Bulk Data manifest.',
    headers: { Expires: { description: 'When the export may be gone (HTTP date, a day ahead).', schema: { type: 'string' } } },
    schema: {
      type: 'object',
      required: ['transactionTime', 'request', 'requiresAccessToken', 'output', 'error'],
      properties: {
        transactionTime: { type: 'string', format: 'date-time' },
        request: { type: 'string', format: 'uri', description: 'The kick-off URL, without its query string.' },
        requiresAccessToken: { type: 'boolean', enum: [true] },
        output: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'url'],
            properties: { type: { type: 'string', enum: ['Encounter', 'Patient', 'Coverage'] }, url: { type: 'string', format: 'uri' } },
          },
        },
        error: { type: 'array', description: 'Empty: exports produce no error files.', items: { type: 'object' } },
      },
      example: {
        transactionTime: '2026-11-28T18:00:00.000Z',
        request: 'https://partners.crc.example/v1/partners/LA_CARE/fhir/$export',
        requiresAccessToken: true,
        output: [{ type: 'Encounter', url: 'https://partners.crc.example/v1/partners/LA_CARE/fhir/exports/3f0e/Encounter.ndjson' }],
        error: [],
      },
    },
  })
  async status(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Param('exportId') exportId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkDataManifest> {
    const manifest = await this.fhirExport.manifest(plan, exportId, this.baseUrl);
    // Only a manifest expires: an unknown export's 404 says nothing of when.
    void reply.header('Expires', new Date(Date.now() + 24 * 3600_000).toUTCString());
    // Exports kicked off before the query string was left out still hold it: never echo it.
    return { ...manifest, request: pathOf(manifest.request) };
  }

  @Delete('exports/:exportId')
  @HttpCode(202)
  @Authorize('partner')
  @ApiOperation({
    summary: 'Cancel an export, or say you are done with its files',
    description:
      "Bulk Data's DELETE on the status URL: 202 once, then the status URL and the files answer 404 `FHIR.EXPORT_NOT_FOUND` (so does a second DELETE). " +
      "Another plan's export is not found either.",
  })
  @ApiAcceptedResponse({
    description: 'Cancelled; an informational OperationOutcome.',
    content: { [FHIR_JSON]: { schema: { $ref: getSchemaPath(FhirOperationOutcome) } } },
  })
  async cancel(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Param('exportId') exportId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    await this.fhirExport.cancel(plan, exportId, principal.credentialId);
    void reply.header('content-type', `${FHIR_JSON}; charset=utf-8`);
    return exportCancelledOutcome();
  }

  @Get('exports/:exportId/:file')
  @Authorize('partner')
  @ApiOperation({
    summary: 'One NDJSON file of an export (`Encounter.ndjson`, `Patient.ndjson`, `Coverage.ndjson`)',
    description:
      'Each visit once, at its latest revision in the export; each Patient and Coverage once. Recorded in the disclosure ledger before the first line.',
  })
  @ApiOkResponse({
    description: 'One FHIR resource per line.',
    content: {
      'application/fhir+ndjson': {
        schema: { type: 'string' },
        // Each line is a FHIR R4 resource of the file's type (FHIR's own definitions apply; not repeated here).
        'x-line-schema': {
          type: 'object',
          required: ['resourceType', 'id'],
          properties: { resourceType: { type: 'string', enum: ['Encounter', 'Patient', 'Coverage'] }, id: { type: 'string' } },
          additionalProperties: true,
        },
      } as object,
    },
  })
  async file(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Param('exportId') exportId: string,
    @Param('file') file: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const match = /^(\w+)\.ndjson$/.exec(file);
    if (!match) throw new FhirExportNotFoundError();
    const lines = this.fhirExport.file(plan, exportId, match[1], principal.credentialId);
    // Pull the first line before answering, so a missing export is a clean 404, not a broken stream.
    const first = await lines.next();
    async function* all() {
      if (!first.done) yield first.value;
      yield* lines;
    }
    await reply.header('content-type', 'application/fhir+ndjson').send(Readable.from(all()));
  }
}
