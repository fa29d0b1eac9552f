import { Controller, Get, Param, ParseIntPipe, DefaultValuePipe, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import { ReadUtilizationFeedUseCase } from '@crc/attribution';
import { ApiErrorResponse, PARTNER_PLANS, RequestValidationError, UtilizationPage } from '@crc/contracts';
import { Authorize } from '@crc/platform';
import { PartnerPlanPipe } from './partner-plan.pipe';
import type { PartnerPlan } from '@crc/contracts';

const limitPipe = new ParseIntPipe({
  exceptionFactory: () => new RequestValidationError([{ field: 'limit', problems: ['must be an integer from 1 to 1000'] }]),
});

@ApiTags('utilization feed')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: '`AUTH.WRONG_PLAN`: a partner reads only its own plan.' })
@Controller('v1/partners/:plan/utilization')
export class UtilizationHttpController {
  constructor(private readonly readFeed: ReadUtilizationFeedUseCase) {}

  @Get()
  @Authorize('partner')
  @ApiOperation({
    summary: "Read the plan's utilization feed",
    description:
      'Attributed visits of the plan\'s own members, oldest first. A change to a visit is a new record (`revision` + 1) that names the record it `supersedes`; `VOIDED` means the visit is no longer the plan\'s. Community visitors never appear.',
  })
  @ApiParam({ name: 'plan', enum: PARTNER_PLANS })
  @ApiQuery({ name: 'since', required: false, description: 'A `nextCursor` from an earlier page; omit to start from the beginning.' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiOkResponse({ type: UtilizationPage })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`FEED.INVALID_CURSOR` or `REQUEST.VALIDATION_FAILED`.' })
  read(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('since') since: string | undefined,
    @Query('limit', new DefaultValuePipe(100), limitPipe) limit: number,
  ): Promise<UtilizationPage> {
    if (limit < 1 || limit > 1000) throw new RequestValidationError([{ field: 'limit', problems: ['must be an integer from 1 to 1000'] }]);
    return this.readFeed.execute({ plan, since, limit });
  }
}
