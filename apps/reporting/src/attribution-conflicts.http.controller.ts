import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ConflictNotFoundError, ReviewConflictsUseCase } from '@crc/attribution';
import { ApiErrorResponse, AttributionConflictPage, AttributionConflictView, ResolveAttributionConflictRequest } from '@crc/contracts';
import { Authorize, CurrentPrincipal, Principal, integerQuery } from '@crc/platform';

const visitIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ConflictNotFoundError() });

/**
 * The review queue of attribution rule 2 (version 2): visits whose visitor both plans' rosters
 * cover on the service date without agreeing. Operations see visits, not people.
 */
@ApiTags('operations')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Operations tokens only.' })
@Controller('v1/operations/attribution-conflicts')
export class AttributionConflictsHttpController {
  constructor(private readonly review: ReviewConflictsUseCase) {}

  @Get()
  @Authorize('ops')
  @ApiOperation({
    summary: 'The review queue: visits both plans claim',
    description:
      'Each item is a visit (id, center, service date), the two plans with the product line each roster names, the plan the visit has now and since when the conflict exists; never who the visitor is. ' +
      'While a conflict waits, a visit a plan already had on eligibility stays with that plan; any other goes to no plan (`currentPlan: COMMUNITY`, counted as a community visit) and neither feed carries it.',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['WAITING', 'RESOLVED', 'CLEARED', 'ALL'], description: 'WAITING by default.' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000; 100 by default. Longest waiting first.' })
  @ApiOkResponse({ type: AttributionConflictPage })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`CONFLICT.INVALID_STATUS` or `REQUEST.VALIDATION_FAILED` (limit).' })
  async list(@Query('status') status: string | undefined, @Query('limit') limit: string | undefined): Promise<AttributionConflictPage> {
    return { items: await this.review.list(status, integerQuery('limit', limit, { min: 1, max: 1000, fallback: 100 })) };
  }

  @Post(':visitId/resolution')
  @HttpCode(200)
  @Authorize('ops')
  @ApiOperation({
    summary: 'Resolve a conflict: choose the plan, with a reason',
    description:
      'The visit is attributed to the chosen plan on eligibility (flag `DUAL_COVERAGE_RESOLVED`) before the answer: a new revision, which the feeds show as a correction; the plan that loses the visit gets its record voided. ' +
      'A resolution may be changed by resolving again. The choice, the reason and the operations credential are kept with the conflict.',
  })
  @ApiParam({ name: 'visitId', format: 'uuid' })
  @ApiOkResponse({ type: AttributionConflictView })
  @ApiBadRequestResponse({
    type: ApiErrorResponse,
    description:
      '`CONFLICT.INVALID_PLAN` (not LA_CARE or BLUE_SHIELD_PROMISE) or `REQUEST.VALIDATION_FAILED` (reason missing, shorter than 3 or longer than 500 characters).',
  })
  @ApiNotFoundResponse({ type: ApiErrorResponse, description: '`CONFLICT.NOT_FOUND`: no conflict for this visit.' })
  @ApiConflictResponse({
    type: ApiErrorResponse,
    description: '`CONFLICT.ALREADY_CLEARED`: one plan no longer covers the visitor; there is nothing to resolve.',
  })
  resolve(
    @Param('visitId', visitIdPipe) visitId: string,
    @Body() body: ResolveAttributionConflictRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AttributionConflictView> {
    return this.review.resolve({ visitId, plan: body.plan, reason: body.reason, resolvedBy: principal.credentialId });
  }
}
