import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import { ApiErrorResponse, CheckInRequest, VisitResponse } from '@crc/contracts';
import { Visit, CheckInVisitorUseCase, VisitNotFoundError, VisitRepository } from '@crc/check-in';
import { Authorize, CurrentPrincipal, Principal } from '@crc/platform';

function toResponse(visit: Visit): VisitResponse {
  return {
    visitId: visit.visitId,
    centerId: visit.centerId,
    status: visit.status,
    serviceDate: visit.serviceDate,
    checkedInAt: visit.checkedInAt.toISOString(),
    checkedOutAt: visit.checkedOutAt?.toISOString(),
    memberIdGiven: visit.visitor.memberId !== undefined,
    selfReportedPlan: visit.visitor.selfReportedPlan,
    purposes: visit.purposes,
  };
}

@ApiTags('check-ins')
@ApiBearerAuth()
@ApiParam({ name: 'centerId', example: 'crc-el-monte', description: "The kiosk's own center." })
@ApiUnauthorizedResponse({ type: ApiErrorResponse, description: '`AUTH.UNAUTHENTICATED`: no or unknown token.' })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: '`AUTH.WRONG_CENTER`: the token belongs to another center.' })
@Controller('v1/centers/:centerId/check-ins')
export class CheckInsHttpController {
  constructor(
    private readonly checkInVisitor: CheckInVisitorUseCase,
    private readonly visits: VisitRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('kiosk')
  @ApiOperation({
    summary: 'Check a visitor in',
    description:
      'Records the visit and publishes `crc.checkin.visit-checked-in.v1`. The member id is PHI: it is stored for attribution and never echoed.',
  })
  @ApiBody({ type: CheckInRequest })
  @ApiCreatedResponse({ type: VisitResponse })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`REQUEST.VALIDATION_FAILED` with the failing fields in `details`.' })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CENTER.NOT_FOUND`.' })
  async checkIn(
    @Param('centerId') centerId: string,
    @Body() body: CheckInRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VisitResponse> {
    const visit = await this.checkInVisitor.execute({
      centerId,
      kioskCredentialId: principal.credentialId,
      visitor: body.visitor,
      purposes: body.purposes,
    });
    return toResponse(visit);
  }

  @Get(':visitId')
  @Authorize('kiosk', 'staff')
  @ApiOperation({ summary: 'Read a visit back' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`VISIT.NOT_FOUND`.' })
  async read(
    @Param('centerId') centerId: string,
    @Param('visitId', new ParseUUIDPipe({ exceptionFactory: () => new VisitNotFoundError() })) visitId: string,
  ): Promise<VisitResponse> {
    const visit = await this.visits.findAtCenter(centerId, visitId);
    if (!visit) throw new VisitNotFoundError();
    return toResponse(visit);
  }
}
