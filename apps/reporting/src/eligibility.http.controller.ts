import { Controller, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiBody,
  ApiBadRequestResponse,
  ApiConflictResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ApiErrorResponse, DomainError, EligibilityUploadResponse, PARTNER_PLANS, RequestValidationError } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { AttributionScheduler } from '@crc/attribution';
import { RosterFormat, RosterUploadMode, UploadRosterUseCase, UploadX12RosterUseCase, X12_834_FORMAT } from '@crc/eligibility';
import { Authorize, CurrentPrincipal, linesOf, Principal } from '@crc/platform';
import { PartnerPlanPipe } from './partner-plan.pipe';

export const ROSTER_CONTENT_TYPES: Record<string, RosterFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/csv': 'csv',
};

/** X12 834 enrolment files, as plans receive them (RFC 1767 names the type). */
export const X12_CONTENT_TYPES = ['application/edi-x12'];

class UnsupportedRosterFormatError extends DomainError {
  constructor() {
    super(
      'ROSTER.UNSUPPORTED_FORMAT',
      'Send the roster as application/x-ndjson (one JSON object per line), text/csv (with a header line) or application/edi-x12 (an X12 834, 005010X220A1).',
      'UNPROCESSABLE',
    );
  }
}

@ApiTags('eligibility')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({
  type: ApiErrorResponse,
  description:
    "`AUTH.WRONG_PLAN`: a partner uploads only its own roster. X12: `X12.WRONG_PLAN`, the interchange's sender or receiver (ISA06/ISA08, GS02/GS03) names the other plan.",
})
@Controller('v1/partners/:plan/eligibility')
export class EligibilityHttpController {
  constructor(
    private readonly uploadRoster: UploadRosterUseCase,
    private readonly uploadX12Roster: UploadX12RosterUseCase,
    private readonly scheduler: AttributionScheduler,
  ) {}

  @Put()
  @HttpCode(200)
  @Authorize('partner')
  @ApiOperation({
    summary: "Upload the plan's eligibility roster",
    description:
      'Streamed: any size. Fields per row: `memberId`, `cin` (optional), `productLine`, `planPartner` (optional, L.A. Care only), `coverageStart`, `coverageEnd` (optional; inclusive dates YYYY-MM-DD). ' +
      'Bad rows are listed by line number and never stop the good ones. `mode=REPLACE` (default) treats the upload as the whole roster and removes spans it no longer lists, but only when no row was rejected; `mode=MERGE` adds or corrects spans. ' +
      "The answer reports the upload's own lines only; nothing in it, nor its status or timing, depends on who visited. " +
      'After the answer, visits inside the look-back window (90 days) whose visitor the upload concerns are attributed again in the background (finished by the next start or a periodic sweep should the service stop half-way); each changed attribution appears in the feeds as a correction. ' +
      "A plan's roster can make visits its own or give up its own, never take one the other plan holds on its roster: such a visit goes to the operations review queue (attribution rules, version 2). " +
      'Every upload, refused ones included, is recorded for audit (`GET /v1/operations/roster-uploads`). ' +
      "**X12 834** (`application/edi-x12`, 005010X220A1, the file the plan already has): BGN08 says full file (RX or 4: REPLACE) or changes (2: MERGE); each member loop applies its maintenance type (001 change, 021 addition, 024 cancellation or termination, 025 reinstatement, 030 audit) through the plan's mapping (docs/rosters-834.md). " +
      'Nothing is applied unless the whole envelope checks out (ISA/GS/ST/SE/GE/IEA counts and control numbers); refused member loops are listed by segment position and loop; the answer carries a 999-style `acknowledgement`. ' +
      'The same interchange (sender and ISA13) sent again is answered with `resendOf` and not applied twice.',
  })
  @ApiParam({ name: 'plan', enum: PARTNER_PLANS })
  @ApiQuery({ name: 'mode', required: false, enum: ['REPLACE', 'MERGE'] })
  @ApiConsumes('application/x-ndjson', 'text/csv', 'application/edi-x12')
  @ApiBody({
    schema: {
      type: 'string',
      example: '{"memberId":"LAC100001","cin":"91234567A","productLine":"MEDI_CAL","planPartner":"BLUE_SHIELD_PROMISE","coverageStart":"2026-01-01"}\n',
    },
  })
  @ApiOkResponse({ type: EligibilityUploadResponse })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`REQUEST.VALIDATION_FAILED`: `mode` is not REPLACE or MERGE.' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorResponse,
    description:
      '`ROSTER.NO_VALID_ROWS` (the rejected rows in `details`), `ROSTER.EMPTY` or `ROSTER.UNSUPPORTED_FORMAT`. X12: `X12.ENVELOPE_INVALID` (the problems in `details`, by segment position and loop), `X12.NOT_AN_INTERCHANGE`, `X12.SEGMENT_TOO_LONG`, `X12.MODE_MISMATCH`, `X12.UNKNOWN_PARTNER`. Nothing was changed.',
  })
  @ApiConflictResponse({
    type: ApiErrorResponse,
    description: "X12: `X12.CONTROL_NUMBER_REUSED` (this sender's ISA13 came before with another file) or `X12.INTERCHANGE_IN_PROGRESS`. Nothing was changed.",
  })
  @ApiUnsupportedMediaTypeResponse({ type: ApiErrorResponse })
  async upload(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('mode') modeParam: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EligibilityUploadResponse> {
    const mode = (modeParam ?? 'REPLACE').toUpperCase();
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const x12 = X12_CONTENT_TYPES.includes(contentType);
    const format = ROSTER_CONTENT_TYPES[contentType];
    if (mode !== 'REPLACE' && mode !== 'MERGE') {
      await this.uploadRoster.refuse(
        { plan, mode: 'INVALID', format: x12 ? X12_834_FORMAT : (format ?? 'unknown'), uploadedBy: principal.credentialId },
        'REQUEST.VALIDATION_FAILED',
      );
      throw new RequestValidationError([{ field: 'mode', problems: ['must be REPLACE or MERGE'] }]);
    }
    if (x12) {
      // The file says whether it is whole or changes (BGN08); a `mode` given must agree with it.
      const response = await this.uploadX12Roster.execute({
        plan,
        body: request.body as Readable,
        ...(modeParam !== undefined ? { requestedMode: mode as RosterUploadMode } : {}),
        uploadedBy: principal.credentialId,
      });
      reply.raw.once('close', () => this.scheduler.kick());
      return response;
    }
    if (!format) {
      const error = new UnsupportedRosterFormatError();
      await this.uploadRoster.refuse({ plan, mode, format: 'unknown', uploadedBy: principal.credentialId }, error.code);
      throw error;
    }
    const response = await this.uploadRoster.execute({
      plan,
      format,
      mode: mode as RosterUploadMode,
      lines: linesOf(request.body as Readable),
      uploadedBy: principal.credentialId,
    });
    // Rosters arrive late and change retroactively: visits in the look-back window follow them, once
    // the plan has its answer (the job is already stored with the upload's record).
    reply.raw.once('close', () => this.scheduler.kick());
    return response;
  }
}
