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
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ApiErrorResponse, DomainError, EligibilityUploadResponse, PARTNER_PLANS, RequestValidationError } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { AttributionScheduler } from '@crc/attribution';
import { RosterFormat, RosterUploadMode, UploadRosterUseCase } from '@crc/eligibility';
import { Authorize, CurrentPrincipal, linesOf, Principal } from '@crc/platform';
import { PartnerPlanPipe } from './partner-plan.pipe';

export const ROSTER_CONTENT_TYPES: Record<string, RosterFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/csv': 'csv',
};

class UnsupportedRosterFormatError extends DomainError {
  constructor() {
    super(
      'ROSTER.UNSUPPORTED_FORMAT',
      'Send the roster as application/x-ndjson (one JSON object per line) or text/csv (with a header line).',
      'UNPROCESSABLE',
    );
  }
}

@ApiTags('eligibility')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: '`AUTH.WRONG_PLAN`: a partner uploads only its own roster.' })
@Controller('v1/partners/:plan/eligibility')
export class EligibilityHttpController {
  constructor(
    private readonly uploadRoster: UploadRosterUseCase,
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
      'The answer reports the upload\'s own lines only; nothing in it, nor its status or timing, depends on who visited. ' +
      'After the answer, visits inside the look-back window (90 days) whose visitor the upload concerns are attributed again in the background (finished by the next start or a periodic sweep should the service stop half-way); each changed attribution appears in the feeds as a correction. ' +
      "A plan's roster can make visits its own or give up its own, never take one the other plan holds on its roster: such a visit goes to the operations review queue (attribution rules, version 2). " +
      'Every upload, refused ones included, is recorded for audit (`GET /v1/operations/roster-uploads`).',
  })
  @ApiParam({ name: 'plan', enum: PARTNER_PLANS })
  @ApiQuery({ name: 'mode', required: false, enum: ['REPLACE', 'MERGE'] })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example:
        '{"memberId":"LAC100001","cin":"91234567A","productLine":"MEDI_CAL","planPartner":"BLUE_SHIELD_PROMISE","coverageStart":"2026-01-01"}\n',
    },
  })
  @ApiOkResponse({ type: EligibilityUploadResponse })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`REQUEST.VALIDATION_FAILED`: `mode` is not REPLACE or MERGE.' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorResponse,
    description: '`ROSTER.NO_VALID_ROWS` (the rejected rows in `details`), `ROSTER.EMPTY` or `ROSTER.UNSUPPORTED_FORMAT`. Nothing was changed.',
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
    const format = ROSTER_CONTENT_TYPES[contentType];
    if (mode !== 'REPLACE' && mode !== 'MERGE') {
      await this.uploadRoster.refuse({ plan, mode: 'INVALID', format: format ?? 'unknown', uploadedBy: principal.credentialId }, 'REQUEST.VALIDATION_FAILED');
      throw new RequestValidationError([{ field: 'mode', problems: ['must be REPLACE or MERGE'] }]);
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
