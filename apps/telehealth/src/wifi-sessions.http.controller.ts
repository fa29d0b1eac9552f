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
import { ApiErrorResponse, DeviceHeartbeatRequest, StartWifiSessionRequest, WifiCenterViewResponse, WifiSessionResponse } from '@crc/contracts';
import {
  Authorize,
  createdResponseHeaders,
  CurrentPrincipal,
  IDEMPOTENCY_KEY_HEADER,
  Principal,
  REPLAYED_RESPONSE_HEADER,
  replyWithOutcome,
} from '@crc/platform';
import {
  CenterWifiViewUseCase,
  EndWifiSessionUseCase,
  ReadWifiSessionUseCase,
  RecordHeartbeatUseCase,
  StartWifiSessionUseCase,
  WifiSessionNotFoundError,
} from '@crc/telehealth';

// A malformed session id names no session: the same 404 as an unknown one.
const sessionIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new WifiSessionNotFoundError() });

const SESSION_ID_PARAM = { name: 'sessionId', format: 'uuid', description: 'The session, as returned when it was started.' } as const;
const SESSION_NOT_FOUND = { type: ApiErrorResponse, description: '`SESSION.NOT_FOUND`: no such session at this center.' };
const ALREADY_ENDED = {
  type: ApiErrorResponse,
  description:
    '`SESSION.ALREADY_ENDED`: the session has ended (`details.endedBy`, `details.endedAt`), by an earlier end or because no heartbeat ' +
    'came within the idle timeout (`TIMEOUT`: it ended at its last heartbeat).',
};
const KEY_REUSED = { type: ApiErrorResponse, description: '`IDEMPOTENCY.KEY_REUSED`.' };
const BAD_REQUEST = {
  type: ApiErrorResponse,
  description: '`REQUEST.VALIDATION_FAILED` with the failing fields in `details` (unknown fields are refused); `IDEMPOTENCY.INVALID_KEY`.',
};

@ApiTags('wifi-sessions')
@ApiBearerAuth()
@ApiParam({ name: 'centerId', example: 'crc-el-monte', description: "The caller's own center." })
@ApiUnauthorizedResponse({ type: ApiErrorResponse, description: '`AUTH.UNAUTHENTICATED`: no or unknown token.' })
@ApiForbiddenResponse({
  type: ApiErrorResponse,
  description: '`AUTH.WRONG_CENTER`: the token belongs to another center. `AUTH.ROLE_NOT_ALLOWED`: the route is for the other role.',
})
@Controller('v1/centers/:centerId/wifi-sessions')
export class WifiSessionsHttpController {
  constructor(
    private readonly startWifiSession: StartWifiSessionUseCase,
    private readonly recordHeartbeat: RecordHeartbeatUseCase,
    private readonly endWifiSession: EndWifiSessionUseCase,
    private readonly readWifiSession: ReadWifiSessionUseCase,
    private readonly centerWifiView: CenterWifiViewUseCase,
  ) {}

  @Post()
  @Authorize('kiosk')
  @ApiOperation({
    summary: 'Start a Wi-Fi session',
    description:
      'For a visit of this center; optionally with the room lent and the device (its MAC address, kept only as a keyed hash). Publishes ' +
      '`crc.telehealth.wifi-session-started.v1`, keyed by the visit id. A device has at most one session in progress per center.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({
    type: WifiSessionResponse,
    description: 'A replay of an earlier request carries `Idempotent-Replayed: true`.',
    headers: createdResponseHeaders('session'),
  })
  @ApiBadRequestResponse({ ...BAD_REQUEST, description: `${BAD_REQUEST.description} \`SESSION.INVALID_DEVICE_ID\`: not a MAC address.` })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  @ApiConflictResponse({ type: ApiErrorResponse, description: '`SESSION.DEVICE_BUSY`: the device has a session in progress at this center.' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorResponse,
    description:
      '`VISIT.NOT_AT_THIS_CENTER`: `visitId` is a visit checked in at another center (a visit not known yet is accepted: its check-in may ' +
      'still be on its way). `IDEMPOTENCY.KEY_REUSED`.',
  })
  async start(
    @Param('centerId') centerId: string,
    @Body() body: StartWifiSessionRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<WifiSessionResponse> {
    const outcome = await this.startWifiSession.execute({
      centerId,
      kioskCredentialId: principal.credentialId,
      visitId: body.visitId,
      room: body.room,
      deviceId: body.deviceId,
      idempotencyKey,
    });
    void response.header('Location', `/v1/centers/${centerId}/wifi-sessions/${outcome.body.sessionId}`);
    return replyWithOutcome(response, outcome);
  }

  @Get()
  @Authorize('staff')
  @ApiOperation({
    summary: "The center's Wi-Fi today",
    description: 'Sessions in progress (oldest first) and the whole minutes used today in America/Los_Angeles. Staff only.',
  })
  @ApiOkResponse({ type: WifiCenterViewResponse })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  view(@Param('centerId') centerId: string): Promise<WifiCenterViewResponse> {
    return this.centerWifiView.execute(centerId);
  }

  @Post('heartbeats')
  @HttpCode(200)
  @Authorize('kiosk')
  @ApiOperation({
    summary: "A heartbeat for a device's session (from the access point)",
    description:
      'The access point knows devices, not sessions: this finds the session in progress for the device at this center and records a ' +
      "heartbeat, as the session route does. Uses the center's kiosk credential.",
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: WifiSessionResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse({ ...BAD_REQUEST, description: `${BAD_REQUEST.description} \`SESSION.INVALID_DEVICE_ID\`.` })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`SESSION.NOT_FOUND`: no session in progress for this device at this center.' })
  @ApiConflictResponse(ALREADY_ENDED)
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async deviceHeartbeat(
    @Param('centerId') centerId: string,
    @Body() body: DeviceHeartbeatRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<WifiSessionResponse> {
    const outcome = await this.recordHeartbeat.execute({ centerId, kioskCredentialId: principal.credentialId, deviceId: body.deviceId, idempotencyKey });
    return replyWithOutcome(response, outcome);
  }

  @Get(':sessionId')
  @Authorize('kiosk', 'staff')
  @ApiOperation({ summary: 'Read a session', description: 'A session of this center, in progress or ended. The device is never echoed.' })
  @ApiParam(SESSION_ID_PARAM)
  @ApiOkResponse({ type: WifiSessionResponse })
  @ApiNotFoundResponse(SESSION_NOT_FOUND)
  read(@Param('centerId') centerId: string, @Param('sessionId', sessionIdPipe) sessionId: string): Promise<WifiSessionResponse> {
    return this.readWifiSession.execute(centerId, sessionId);
  }

  @Post(':sessionId/heartbeats')
  @HttpCode(200)
  @Authorize('kiosk')
  @ApiOperation({
    summary: 'A heartbeat for a session (from the kiosk)',
    description:
      'Keeps the session open: one without a heartbeat for the idle timeout ends at its last heartbeat. A heartbeat that comes later ' +
      'than that is refused (`SESSION.ALREADY_ENDED`, `endedBy: TIMEOUT`); start a new session. No body.',
  })
  @ApiParam(SESSION_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: WifiSessionResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`IDEMPOTENCY.INVALID_KEY`.' })
  @ApiNotFoundResponse(SESSION_NOT_FOUND)
  @ApiConflictResponse(ALREADY_ENDED)
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async heartbeat(
    @Param('centerId') centerId: string,
    @Param('sessionId', sessionIdPipe) sessionId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<WifiSessionResponse> {
    const outcome = await this.recordHeartbeat.execute({ centerId, kioskCredentialId: principal.credentialId, sessionId, idempotencyKey });
    return replyWithOutcome(response, outcome);
  }

  @Post(':sessionId/end')
  @HttpCode(200)
  @Authorize('kiosk', 'staff')
  @ApiOperation({
    summary: 'End a session',
    description:
      'Ends it now (`endedBy`: CLIENT for the kiosk, STAFF for staff) and publishes `crc.telehealth.wifi-session-ended.v1` with its whole ' +
      'minutes; frees the device. A session is ended once. No body.',
  })
  @ApiParam(SESSION_ID_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: WifiSessionResponse, headers: REPLAYED_RESPONSE_HEADER })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`IDEMPOTENCY.INVALID_KEY`.' })
  @ApiNotFoundResponse(SESSION_NOT_FOUND)
  @ApiConflictResponse(ALREADY_ENDED)
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async end(
    @Param('centerId') centerId: string,
    @Param('sessionId', sessionIdPipe) sessionId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<WifiSessionResponse> {
    const outcome = await this.endWifiSession.execute({
      centerId,
      credentialId: principal.credentialId,
      endedBy: principal.role === 'staff' ? 'STAFF' : 'CLIENT',
      sessionId,
      idempotencyKey,
    });
    return replyWithOutcome(response, outcome);
  }
}
