import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DashboardSummaryUseCase, QuarantinedServicesUseCase } from '@crc/attribution';
import { ApiErrorResponse, DASHBOARD_MAX_RANGE_DAYS, DashboardSummary, QuarantinedServicesResponse } from '@crc/contracts';
import { Authorize, CenterDirectory, CurrentPrincipal, Principal, Public, dateQuery } from '@crc/platform';
import { renderDashboardPage } from './dashboard/dashboard.page';
import { DashboardStreamHub } from './dashboard/dashboard-stream.hub';

@ApiTags('operations')
@Controller()
export class OperationsHttpController {
  /** The page names the centers; they are configuration, so it is rendered once. */
  private readonly dashboardPage: string;

  constructor(
    private readonly summary: DashboardSummaryUseCase,
    private readonly streams: DashboardStreamHub,
    private readonly quarantinedServices: QuarantinedServicesUseCase,
    centers: CenterDirectory,
  ) {
    this.dashboardPage = renderDashboardPage(centers.all());
  }

  @Get('v1/operations/dashboard')
  @Authorize('ops')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Network and per-center figures for a range of service dates',
    description:
      "Exact counts for operations (the centers' own staff): nothing is suppressed, and no member identifier is ever included. " +
      "These figures are for operations only; what is shared outward (a plan's summary) is published under complementary suppression.",
  })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD; today (Los Angeles) by default.' })
  @ApiQuery({ name: 'to', required: false, description: `YYYY-MM-DD; \`from\` by default. At most ${DASHBOARD_MAX_RANGE_DAYS} days after \`from\`.` })
  @ApiOkResponse({ type: DashboardSummary })
  @ApiUnauthorizedResponse({ type: ApiErrorResponse })
  @ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Operations tokens only.' })
  read(@Query('from') from?: string, @Query('to') to?: string): Promise<DashboardSummary> {
    return this.summary.execute(dateQuery('from', from), dateQuery('to', to));
  }

  @Get('v1/operations/quarantined-services')
  @Authorize('ops')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Help cases and Wi-Fi sessions kept aside: they named a visit of another center',
    description:
      'Such a service is never attached to any visit (nor to any feed record); it is counted here, per center it was opened at, ' +
      'service date and kind, so the center can look into it. Exact counts, no identifiers.',
  })
  @ApiOkResponse({ type: QuarantinedServicesResponse })
  @ApiUnauthorizedResponse({ type: ApiErrorResponse })
  @ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Operations tokens only.' })
  quarantined(): Promise<QuarantinedServicesResponse> {
    return this.quarantinedServices.execute();
  }

  @Get('v1/operations/dashboard/stream')
  @Authorize('ops')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The same exact figures as server-sent events: one `summary` event now and one whenever they change',
    description:
      'Open streams are bounded: `DASHBOARD_STREAMS_PER_CREDENTIAL` per token (beyond: 429 `DASHBOARD.TOO_MANY_STREAMS`, with Retry-After) and ' +
      '`DASHBOARD_STREAMS_TOTAL` in all (beyond: 503 `DASHBOARD.STREAMS_AT_CAPACITY`). Each change is computed once per date range and sent to every stream of it.',
  })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD; today (Los Angeles) by default.' })
  @ApiQuery({ name: 'to', required: false, description: `YYYY-MM-DD; \`from\` by default. At most ${DASHBOARD_MAX_RANGE_DAYS} days after \`from\`.` })
  @ApiOkResponse({
    description:
      'A stream that stays open: server-sent events, one `summary` event now and one per change. Comment lines carry no event: ' +
      '`: keep-alive` every 15 s, `: update failed` when a change could not be summarised (the next change sends a summary again).',
    content: {
      'text/event-stream': {
        schema: {
          type: 'string',
          description: 'Events `summary`: `event: summary`, then one `data:` line, a DashboardSummary as JSON (the same as `GET /v1/operations/dashboard`).',
        },
        // OpenAPI 3.0 cannot give a schema to each event of a stream: this extension names it, each event as
        // `{ event, data }` with its data read as JSON. Closed: the stream sends no `id` or `retry` field.
        'x-event-schema': {
          type: 'object',
          description: 'One event of the stream: its type and its data, read as JSON.',
          required: ['event', 'data'],
          properties: {
            event: { type: 'string', enum: ['summary'] },
            data: { $ref: getSchemaPath(DashboardSummary) },
          },
          additionalProperties: false,
        },
        example: 'event: summary\ndata: {"from":"2026-11-28","to":"2026-11-28",...}\n\n',
      } as object,
    },
  })
  @ApiTooManyRequestsResponse({
    type: ApiErrorResponse,
    description: '`DASHBOARD.TOO_MANY_STREAMS`, or `REQUEST.RATE_LIMITED`.',
    headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } },
  })
  @ApiServiceUnavailableResponse({ type: ApiErrorResponse, description: '`DASHBOARD.STREAMS_AT_CAPACITY`, or a dependency is unavailable.' })
  @ApiUnauthorizedResponse({ type: ApiErrorResponse })
  @ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Operations tokens only.' })
  async stream(
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    [from, to] = [dateQuery('from', from), dateQuery('to', to)];
    const ticket = this.streams.admit(principal.credentialId);
    let first: string;
    try {
      first = await this.streams.firstFrame(from, to);
    } catch (error) {
      this.streams.release(ticket);
      throw error;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(first);
    const stream = this.streams.attach(ticket, from, to, first, (frame) => raw.write(frame));
    raw.on('drain', stream.drained);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    raw.on('close', () => {
      stream.close();
      clearInterval(keepAlive);
    });
  }

  @Get('dashboard')
  @Public()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:")
  page(): string {
    return this.dashboardPage;
  }
}
