import { Controller, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
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
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ApiErrorResponse, DomainError, EligibilityUploadResponse, PARTNER_PLANS, RequestValidationError } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { ReattributeVisitsUseCase } from '@crc/attribution';
import { RosterFormat, RosterUploadMode, UploadRosterUseCase } from '@crc/eligibility';
import { Authorize, linesOf } from '@crc/platform';
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
    private readonly reattributeVisits: ReattributeVisitsUseCase,
  ) {}

  @Put()
  @HttpCode(200)
  @Authorize('partner')
  @ApiOperation({
    summary: "Upload the plan's eligibility roster",
    description:
      'Streamed: any size. Fields per row: `memberId`, `cin` (optional), `productLine`, `planPartner` (optional, L.A. Care only), `coverageStart`, `coverageEnd` (optional; inclusive dates YYYY-MM-DD). ' +
      'Bad rows are listed by line number and never stop the good ones. `mode=REPLACE` (default) treats the upload as the whole roster and removes spans it no longer lists, but only when no row was rejected; `mode=MERGE` adds or corrects spans. ' +
      'Visits inside the look-back window (90 days) whose visitor the upload concerns are attributed again before the answer; each changed attribution appears in the feeds as a correction.',
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
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`ROSTER.NO_VALID_ROWS`, `ROSTER.EMPTY` or `ROSTER.UNSUPPORTED_FORMAT`.' })
  @ApiUnsupportedMediaTypeResponse({ type: ApiErrorResponse })
  async upload(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('mode') modeParam: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<EligibilityUploadResponse> {
    const mode = (modeParam ?? 'REPLACE').toUpperCase();
    if (mode !== 'REPLACE' && mode !== 'MERGE') {
      throw new RequestValidationError([{ field: 'mode', problems: ['must be REPLACE or MERGE'] }]);
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = ROSTER_CONTENT_TYPES[contentType];
    if (!format) throw new UnsupportedRosterFormatError();
    const { response, touched } = await this.uploadRoster.execute({
      plan,
      format,
      mode: mode as RosterUploadMode,
      lines: linesOf(request.body as Readable),
    });
    if (response.accepted === 0 && response.rejected === 0) {
      throw new DomainError('ROSTER.EMPTY', 'The upload holds no rows; nothing was changed.', 'UNPROCESSABLE');
    }
    if (response.accepted === 0) {
      throw new DomainError('ROSTER.NO_VALID_ROWS', 'No row of the upload is valid; nothing was changed.', 'UNPROCESSABLE', response.rejectedRows);
    }
    // Rosters arrive late and change retroactively: visits in the look-back window follow them.
    const reattribution = await this.reattributeVisits.execute({ identifiers: touched.all ? undefined : touched.identifiers });
    return { ...response, reattribution };
  }
}
