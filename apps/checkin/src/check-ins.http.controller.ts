import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
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
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiErrorResponse,
  CheckInRequest,
  CheckOutRequest,
  KIOSK_SYNC_MAX_ITEMS,
  KioskSyncRequest,
  KioskSyncResponse,
  OpenVisitsResponse,
  VisitResponse,
} from '@crc/contracts';
import {
  CheckInVisitorUseCase,
  CheckOutVisitorUseCase,
  ListOpenVisitsUseCase,
  ReadVisitUseCase,
  SyncKioskQueueUseCase,
  VisitNotFoundError,
} from '@crc/check-in';
import { Authorize, createdResponseHeaders, CurrentPrincipal, IdempotentOutcome, Principal, REPLAYED_RESPONSE_HEADER, dateQuery } from '@crc/platform';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'A unique key per action (a UUID). Sending the same request again with the same key returns the original result and changes nothing; ' +
    'the same key with a different request is refused (422 `IDEMPOTENCY.KEY_REUSED`). Keys are kept 7 days, per kiosk.',
};

const visitIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new VisitNotFoundError() });

function reply<T>(response: FastifyReply, outcome: IdempotentOutcome<T>): T {
  void response.status(outcome.status);
  if (outcome.replayed) void response.header('Idempotent-Replayed', 'true');
  return outcome.body;
}

@ApiTags('check-ins')
@ApiBearerAuth()
@ApiParam({ name: 'centerId', example: 'crc-el-monte', description: "The kiosk's own center." })
@ApiUnauthorizedResponse({ type: ApiErrorResponse, description: '`AUTH.UNAUTHENTICATED`: no or unknown token.' })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: '`AUTH.WRONG_CENTER`: the token belongs to another center.' })
@Controller('v1/centers/:centerId')
export class CheckInsHttpController {
  constructor(
    private readonly checkInVisitor: CheckInVisitorUseCase,
    private readonly checkOutVisitor: CheckOutVisitorUseCase,
    private readonly syncKioskQueue: SyncKioskQueueUseCase,
    private readonly listOpenVisits: ListOpenVisitsUseCase,
    private readonly readVisit: ReadVisitUseCase,
  ) {}

  @Post('check-ins')
  @Authorize('kiosk')
  @ApiOperation({
    summary: 'Check a visitor in',
    description:
      'Records the visit and publishes `crc.checkin.visit-checked-in.v1`, also while Kafka is unavailable (the event follows when it is back). ' +
      'The member id is PHI: it is stored for attribution and never echoed.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({
    type: VisitResponse,
    description: 'A replay of an earlier request carries `Idempotent-Replayed: true`.',
    headers: createdResponseHeaders('visit'),
  })
  @ApiBadRequestResponse({
    type: ApiErrorResponse,
    description: '`REQUEST.VALIDATION_FAILED` with the failing fields in `details`; `IDEMPOTENCY.INVALID_KEY`.',
  })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  @ApiUnprocessableEntityResponse({ type: ApiErrorResponse, description: '`IDEMPOTENCY.KEY_REUSED`, `VISIT.OCCURRED_IN_FUTURE`, `VISIT.TOO_OLD`.' })
  async checkIn(
    @Param('centerId') centerId: string,
    @Body() body: CheckInRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<VisitResponse> {
    const outcome = await this.checkInVisitor.execute({
      centerId,
      kioskCredentialId: principal.credentialId,
      visitor: body.visitor,
      purposes: body.purposes,
      occurredAt: body.occurredAt ? new Date(body.occurredAt) : undefined,
      idempotencyKey,
    });
    void response.header('Location', `/v1/centers/${centerId}/check-ins/${outcome.body.visitId}`);
    return reply(response, outcome);
  }

  @Post('check-ins::batch')
  @HttpCode(200)
  @Authorize('kiosk')
  @ApiOperation({
    summary: "Sync a kiosk's offline queue",
    description:
      `Up to ${KIOSK_SYNC_MAX_ITEMS} queued check-ins and check-outs, in the order they happened. Every item carries its own ` +
      '`idempotencyKey` and `occurredAt`, and is validated and applied on its own: the answer lists, per item, ACCEPTED, DUPLICATE ' +
      '(applied by an earlier sync) or REJECTED with the reason. Sending the same queue again is harmless. A check-out of a visit checked in ' +
      'offline names it by `checkInIdempotencyKey`.',
  })
  @ApiOkResponse({ type: KioskSyncResponse })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: `\`REQUEST.VALIDATION_FAILED\`: not a list of 1 to ${KIOSK_SYNC_MAX_ITEMS} items.` })
  sync(@Param('centerId') centerId: string, @Body() body: KioskSyncRequest, @CurrentPrincipal() principal: Principal): Promise<KioskSyncResponse> {
    return this.syncKioskQueue.execute({ centerId, kioskCredentialId: principal.credentialId, items: body.items });
  }

  @Get('check-ins')
  @Authorize('kiosk', 'staff')
  @ApiOperation({ summary: "List the center's open visits", description: 'Visits not yet checked out, oldest check-in first.' })
  @ApiQuery({ name: 'serviceDate', required: false, description: 'YYYY-MM-DD; today in America/Los_Angeles when absent.' })
  @ApiOkResponse({ type: OpenVisitsResponse })
  open(@Param('centerId') centerId: string, @Query('serviceDate') serviceDate?: string): Promise<OpenVisitsResponse> {
    return this.listOpenVisits.execute(centerId, dateQuery('serviceDate', serviceDate));
  }

  @Get('check-ins/:visitId')
  @Authorize('kiosk', 'staff')
  @ApiOperation({ summary: 'Read a visit back', description: 'A visit of this center, open or checked out. The member id is never echoed.' })
  @ApiParam({ name: 'visitId', format: 'uuid' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`VISIT.NOT_FOUND`.' })
  read(@Param('centerId') centerId: string, @Param('visitId', visitIdPipe) visitId: string): Promise<VisitResponse> {
    return this.readVisit.execute(centerId, visitId);
  }

  @Post('check-ins/:visitId/check-out')
  @Authorize('kiosk')
  @ApiOperation({
    summary: 'Check a visitor out',
    description: 'Closes the visit and publishes `crc.checkin.visit-checked-out.v1`. A visit is checked out once.',
  })
  @ApiParam({ name: 'visitId', format: 'uuid' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: VisitResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`VISIT.NOT_FOUND`: no such visit at this center.' })
  @ApiConflictResponse({ type: ApiErrorResponse, description: '`VISIT.ALREADY_CHECKED_OUT`.' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorResponse,
    description: '`VISIT.CHECK_OUT_BEFORE_CHECK_IN`, `VISIT.OCCURRED_IN_FUTURE`, `VISIT.TOO_OLD`, `IDEMPOTENCY.KEY_REUSED`.',
  })
  async checkOut(
    @Param('centerId') centerId: string,
    @Param('visitId', visitIdPipe) visitId: string,
    @Body() body: CheckOutRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<VisitResponse> {
    const outcome = await this.checkOutVisitor.execute({
      centerId,
      kioskCredentialId: principal.credentialId,
      visitId,
      occurredAt: body?.occurredAt ? new Date(body.occurredAt) : undefined,
      idempotencyKey,
    });
    return reply(response, outcome);
  }
}
