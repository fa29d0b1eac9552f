import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AbandonHelpCaseRequest,
  AddHelpCaseNoteRequest,
  ApiErrorResponse,
  AssignHelpCaseRequest,
  EscalateHelpCaseRequest,
  HelpCaseResponse,
  HelpQueueResponse,
  OpenHelpCaseRequest,
  ResolveHelpCaseRequest,
} from '@crc/contracts';
import {
  AbandonHelpCaseUseCase,
  AddHelpCaseNoteUseCase,
  AssignHelpCaseUseCase,
  EscalateHelpCaseUseCase,
  HelpCaseNotFoundError,
  ListHelpQueueUseCase,
  OpenHelpCaseUseCase,
  ReadHelpCaseUseCase,
  ResolveHelpCaseUseCase,
} from '@crc/membership-help';
import {
  Authorize,
  createdResponseHeaders,
  CurrentPrincipal,
  IDEMPOTENCY_KEY_HEADER,
  Principal,
  REPLAYED_RESPONSE_HEADER,
  replyWithOutcome,
} from '@crc/platform';

// A malformed case id names no case: the same 404 as an unknown one.
const caseIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new HelpCaseNotFoundError() });

const CASE_ID_PARAM = { name: 'caseId', format: 'uuid', description: 'The case, as returned when it was opened.' } as const;
const CASE_NOT_FOUND = { type: ApiErrorResponse, description: '`CASE.NOT_FOUND`: no such case at this center.' };
const INVALID_TRANSITION = {
  type: ApiErrorResponse,
  description: '`CASE.INVALID_TRANSITION`: the case is not in a status this action starts from; `details` names the status and the allowed ones.',
};
const KEY_REUSED = { type: ApiErrorResponse, description: '`IDEMPOTENCY.KEY_REUSED`.' };
const BAD_REQUEST = {
  type: ApiErrorResponse,
  description: '`REQUEST.VALIDATION_FAILED` with the failing fields in `details` (unknown fields are refused); `IDEMPOTENCY.INVALID_KEY`.',
};

@ApiTags('help-cases')
@ApiBearerAuth()
@ApiParam({ name: 'centerId', example: 'crc-el-monte', description: "The caller's own center." })
@ApiUnauthorizedResponse({ type: ApiErrorResponse, description: '`AUTH.UNAUTHENTICATED`: no or unknown token.' })
@ApiForbiddenResponse({
  type: ApiErrorResponse,
  description: '`AUTH.WRONG_CENTER`: the token belongs to another center. `AUTH.ROLE_NOT_ALLOWED`: a kiosk token on a staff route.',
})
@Controller('v1/centers/:centerId/help-cases')
export class HelpCasesHttpController {
  constructor(
    private readonly openHelpCase: OpenHelpCaseUseCase,
    private readonly assignHelpCase: AssignHelpCaseUseCase,
    private readonly addHelpCaseNote: AddHelpCaseNoteUseCase,
    private readonly resolveHelpCase: ResolveHelpCaseUseCase,
    private readonly escalateHelpCase: EscalateHelpCaseUseCase,
    private readonly abandonHelpCase: AbandonHelpCaseUseCase,
    private readonly listHelpQueue: ListHelpQueueUseCase,
    private readonly readHelpCase: ReadHelpCaseUseCase,
  ) {}

  @Post()
  @Authorize('kiosk', 'staff')
  @ApiOperation({
    summary: 'Open a help case',
    description:
      "Puts the visitor in the center's help queue (status OPEN) and publishes `crc.membership.help-requested.v1`, keyed by the visit id " +
      '(or by the case id for a walk-in without a visit). The visit must be one of this center. Kiosk or staff.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({
    type: HelpCaseResponse,
    description: 'A replay of an earlier request carries `Idempotent-Replayed: true`.',
    headers: createdResponseHeaders('case'),
  })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorResponse,
    description:
      '`VISIT.NOT_AT_THIS_CENTER`: `visitId` is a visit checked in at another center (a visit not known yet is accepted: its check-in may ' +
      'still be on its way). `IDEMPOTENCY.KEY_REUSED`.',
  })
  async open(
    @Param('centerId') centerId: string,
    @Body() body: OpenHelpCaseRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.openHelpCase.execute({
      centerId,
      credentialId: principal.credentialId,
      requestedVia: principal.role === 'kiosk' ? 'KIOSK' : 'STAFF',
      caseType: body.caseType,
      visitId: body.visitId,
      idempotencyKey,
    });
    void response.header('Location', `/v1/centers/${centerId}/help-cases/${outcome.body.caseId}`);
    return replyWithOutcome(response, outcome);
  }

  @Get()
  @Authorize('staff')
  @ApiOperation({
    summary: "The center's help queue",
    description: 'OPEN and IN_PROGRESS cases, oldest first, each with the seconds it has waited since it was opened. No notes. Staff only.',
  })
  @ApiOkResponse({ type: HelpQueueResponse })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  queue(@Param('centerId') centerId: string): Promise<HelpQueueResponse> {
    return this.listHelpQueue.execute(centerId);
  }

  @Get(':caseId')
  @Authorize('kiosk', 'staff')
  @ApiOperation({ summary: 'Read a case', description: 'Staff see its notes; the kiosk sees its progress only.' })
  @ApiParam(CASE_ID_PARAM)
  @ApiOkResponse({ type: HelpCaseResponse })
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  read(@Param('centerId') centerId: string, @Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal): Promise<HelpCaseResponse> {
    return this.readHelpCase.execute(centerId, caseId, { withNotes: principal.role === 'staff' });
  }

  @Post(':caseId/assign')
  @HttpCode(200)
  @Authorize('staff')
  @ApiOperation({
    summary: 'Take a case up, or hand it on',
    description:
      'OPEN -> IN_PROGRESS (publishes `crc.membership.help-status-changed.v1`; the minutes spent count from here). ' +
      'On an IN_PROGRESS case it only changes the assignee (no event).',
  })
  @ApiParam(CASE_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: HelpCaseResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiConflictResponse(INVALID_TRANSITION)
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async assign(
    @Param('centerId') centerId: string,
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() body: AssignHelpCaseRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.assignHelpCase.execute({ centerId, caseId, credentialId: principal.credentialId, assignee: body?.assignee, idempotencyKey });
    return replyWithOutcome(response, outcome);
  }

  @Post(':caseId/notes')
  @Authorize('staff')
  @ApiOperation({
    summary: 'Add a note',
    description: `In any status. Notes may hold PHI: they are shown to staff reading the case and never published or logged. At most 50 per case.`,
  })
  @ApiParam(CASE_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({
    type: HelpCaseResponse,
    description: 'The case with its `noteCount`; the notes themselves only through GET.',
    headers: REPLAYED_RESPONSE_HEADER,
  })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`CASE.TOO_MANY_NOTES`, `IDEMPOTENCY.KEY_REUSED`.' })
  async addNote(
    @Param('centerId') centerId: string,
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() body: AddHelpCaseNoteRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.addHelpCaseNote.execute({ centerId, caseId, credentialId: principal.credentialId, note: body.note, idempotencyKey });
    return replyWithOutcome(response, outcome);
  }

  @Post(':caseId/resolve')
  @HttpCode(200)
  @Authorize('staff')
  @ApiOperation({
    summary: 'Resolve a case',
    description:
      'IN_PROGRESS -> RESOLVED with an outcome. Publishes `crc.membership.help-status-changed.v1`, then `crc.membership.help-resolved.v1` ' +
      'with the case type, the outcome and the whole minutes spent since the case was taken up. A case is resolved once.',
  })
  @ApiParam(CASE_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: HelpCaseResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiConflictResponse(INVALID_TRANSITION)
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`CASE.TOO_MANY_NOTES` (with a note), `IDEMPOTENCY.KEY_REUSED`.' })
  async resolve(
    @Param('centerId') centerId: string,
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() body: ResolveHelpCaseRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.resolveHelpCase.execute({
      centerId,
      caseId,
      credentialId: principal.credentialId,
      outcome: body.outcome,
      note: body.note,
      idempotencyKey,
    });
    return replyWithOutcome(response, outcome);
  }

  @Post(':caseId/escalate')
  @HttpCode(200)
  @Authorize('staff')
  @ApiOperation({
    summary: "Escalate a case to the member's plan",
    description:
      'IN_PROGRESS -> ESCALATED: the plan takes the case over and it closes here. Publishes `crc.membership.help-status-changed.v1`, then ' +
      '`crc.membership.help-resolved.v1` (outcome `ESCALATED_TO_PLAN`, `escalatedTo`, minutes spent).',
  })
  @ApiParam(CASE_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: HelpCaseResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiConflictResponse(INVALID_TRANSITION)
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`CASE.TOO_MANY_NOTES` (with a note), `IDEMPOTENCY.KEY_REUSED`.' })
  async escalate(
    @Param('centerId') centerId: string,
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() body: EscalateHelpCaseRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.escalateHelpCase.execute({
      centerId,
      caseId,
      credentialId: principal.credentialId,
      plan: body.plan,
      note: body.note,
      idempotencyKey,
    });
    return replyWithOutcome(response, outcome);
  }

  @Post(':caseId/abandon')
  @HttpCode(200)
  @Authorize('staff')
  @ApiOperation({
    summary: 'Abandon a case (the visitor left)',
    description:
      'OPEN or IN_PROGRESS -> ABANDONED. Publishes `crc.membership.help-status-changed.v1`, then `crc.membership.help-resolved.v1` ' +
      '(outcome `ABANDONED`, with the minutes spent if the case had been taken up).',
  })
  @ApiParam(CASE_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: HelpCaseResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse(BAD_REQUEST)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiConflictResponse(INVALID_TRANSITION)
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`CASE.TOO_MANY_NOTES` (with a note), `IDEMPOTENCY.KEY_REUSED`.' })
  async abandon(
    @Param('centerId') centerId: string,
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() body: AbandonHelpCaseRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<HelpCaseResponse> {
    const outcome = await this.abandonHelpCase.execute({ centerId, caseId, credentialId: principal.credentialId, note: body?.note, idempotencyKey });
    return replyWithOutcome(response, outcome);
  }
}
