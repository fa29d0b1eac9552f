import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CSV_COLUMNS, FeedFormat, ReadDisclosuresUseCase, ReadUtilizationFeedUseCase, SummarizeUtilizationUseCase, toCsv, toNdjson } from '@crc/attribution';
import {
  ApiErrorResponse,
  DisclosurePage,
  PARTNER_PLANS,
  RequestValidationError,
  startOfServiceDate,
  UtilizationPage,
  UtilizationRecord,
  UtilizationSummary,
} from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { Authorize, CurrentPrincipal, Principal, dateQuery, integerQuery } from '@crc/platform';
import { PartnerPlanPipe } from './partner-plan.pipe';

const MEDIA_TYPES: Record<FeedFormat, string> = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
};

/** `?format=` wins (a spreadsheet user's browser sends no useful Accept); then the Accept header. */
export function negotiateFormat(format: string | undefined, accept: string | undefined): FeedFormat {
  if (format !== undefined) {
    if (format === 'json' || format === 'ndjson' || format === 'csv') return format;
    throw new RequestValidationError([{ field: 'format', problems: ['must be json, ndjson or csv'] }]);
  }
  const wanted = (accept ?? '').toLowerCase();
  if (wanted.includes('text/csv')) return 'csv';
  if (wanted.includes('ndjson')) return 'ndjson';
  return 'json';
}

/** How the CSV feed flattens a record: the published contract of `text/csv` (also docs/api-guide.md). */
const CSV_FORMAT =
  'UTF-8, CRLF line ends, RFC 4180 quoting (a field holding a comma, a double quote or a line break is quoted, its quotes doubled), ' +
  `and a header row naming the columns, always these and in this order: ${CSV_COLUMNS.join(', ')}. ` +
  'Each row is one UtilizationRecord (see its schema for each field); an absent value is an empty field. ' +
  'Lists are joined with `|`: `flags` and `purposes` (e.g. `EXERCISE_CLASS|TELEHEALTH_WIFI`); `membershipHelp` joins its cases with `|`, ' +
  'each case written `caseType:outcome:minutes`, with outcome and minutes empty while the case is open ' +
  '(e.g. `ENROLMENT_OR_RENEWAL:SUBMITTED:25|PCP_CHANGE::`). A value that a spreadsheet would run as a formula (starting with `=`, `+`, ' +
  "`-`, `@`, a tab or a carriage return) is prefixed with `'`.";

const CSV_EXAMPLE =
  `${CSV_COLUMNS.join(',')}\r\n` +
  '1b4e28ba-2fa1-11d2-883f-0016d3cca427:1,1b4e28ba-2fa1-11d2-883f-0016d3cca427,1,,ACTIVE,crc-el-monte,2026-11-28,LA_CARE,ELIGIBILITY,MEDI_CAL,,,2,' +
  'LAC100001,EXERCISE_CLASS|MEMBERSHIP_HELP,2026-11-28T17:02:11.000Z,2026-11-28T18:10:40.000Z,ENROLMENT_OR_RENEWAL:SUBMITTED:25,,2026-11-28T18:10:41.204Z\r\n';

/** Where the next page starts, for NDJSON and CSV (whose bodies have no room for it). */
const FEED_PAGE_HEADERS = {
  'X-Next-Cursor': {
    description:
      'NDJSON and CSV only: the cursor to pass as `since` for the next page (the JSON page carries it as `nextCursor`). Present even on an empty page.',
    schema: { type: 'string' },
  },
  'X-Has-More': {
    description: 'NDJSON and CSV only: `true` when more records are already waiting after this page.',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
  Link: { description: 'NDJSON and CSV only: the next page as a link (`rel="next"`), with the same limit and format.', schema: { type: 'string' } },
};

const readLimit = (raw: string | undefined, max: number) => integerQuery('limit', raw, { min: 1, max, fallback: 100 });

@ApiTags('utilization feed')
@ApiExtraModels(UtilizationPage, UtilizationRecord)
@ApiBearerAuth()
@ApiParam({ name: 'plan', enum: PARTNER_PLANS })
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: "`AUTH.WRONG_PLAN`: a partner reads only its own plan's data." })
@Controller('v1/partners/:plan')
export class UtilizationHttpController {
  constructor(
    private readonly readFeed: ReadUtilizationFeedUseCase,
    private readonly summarize: SummarizeUtilizationUseCase,
    private readonly readDisclosures: ReadDisclosuresUseCase,
  ) {}

  @Get('utilization')
  @Authorize('partner')
  @ApiOperation({
    summary: "Read the plan's utilization feed",
    description:
      "Attributed visits of the plan's own members, oldest first. A change to a visit is a new record (`revision` + 1) naming the record it " +
      "`supersedes`; `VOIDED` means the visit is no longer the plan's. Community visitors never appear. " +
      'JSON (a page object), NDJSON (one record per line) or CSV (with a header row), by `Accept` or `?format=`; for NDJSON and CSV the ' +
      'next cursor is in the `X-Next-Cursor` header (and `X-Has-More`). Every read is recorded in the disclosure ledger.',
  })
  @ApiQuery({
    name: 'since',
    required: false,
    description:
      'A `nextCursor` from an earlier page, or a date YYYY-MM-DD (records published from that day on, Los Angeles time). Omit to start from the beginning.',
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 5000, default: 100 } })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'ndjson', 'csv'] })
  @ApiHeader({ name: 'Accept', required: false, description: 'application/json (default), application/x-ndjson or text/csv' })
  @ApiOkResponse({
    description: 'A page of the feed, in the format asked for.',
    headers: FEED_PAGE_HEADERS,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(UtilizationPage) } },
      'application/x-ndjson': {
        schema: { type: 'string', description: 'One UtilizationRecord as JSON per line, each line ending with `\\n`; an empty page is an empty body.' },
        // OpenAPI 3.0 cannot give a schema to each line of a body: this extension names it.
        'x-line-schema': { $ref: getSchemaPath(UtilizationRecord) },
      } as object,
      'text/csv': { schema: { type: 'string', description: CSV_FORMAT, 'x-csv-columns': CSV_COLUMNS } as object, example: CSV_EXAMPLE },
    },
  })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`FEED.INVALID_CURSOR` or `REQUEST.VALIDATION_FAILED`.' })
  async read(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('since') since: string | undefined,
    @Query('limit') limitParam: string | undefined,
    @Query('format') formatParam: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UtilizationPage | string> {
    const format = negotiateFormat(formatParam, accept);
    const limit = readLimit(limitParam, format === 'json' ? 1000 : 5000);
    const page = await this.readFeed.execute({ plan, since, limit, format, recipient: principal.credentialId });
    if (format === 'json') return page;
    void reply
      .header('content-type', `${MEDIA_TYPES[format]}; charset=utf-8`)
      .header('x-next-cursor', page.nextCursor)
      .header('x-has-more', String(page.hasMore))
      .header('link', `</v1/partners/${plan}/utilization?since=${page.nextCursor}&limit=${limit}&format=${format}>; rel="next"`);
    return format === 'csv' ? toCsv(page.items, true) : toNdjson(page.items);
  }

  @Get('utilization/summary')
  @Authorize('partner')
  @ApiOperation({
    summary: 'Monthly summary per center, product line and service',
    description:
      "The plan's visits in a month (by service date), and community visits per center with the plan's share of them for the cost split. " +
      'Counts only, under complementary suppression: the rows are always the whole grid (every center × product line, `UNVERIFIED` ' +
      'included, × service; every center for community visits), visited or not; a count below 11, zero included, is published as ' +
      'suppressed (null), never as a number; and a total (`totalVisits`, `communityTotal`) is published only when none of the cells it ' +
      'covers is suppressed, so that no hidden count can be worked out by subtraction, from one read or from the change between two.',
  })
  @ApiQuery({ name: 'month', required: true, example: '2026-11' })
  @ApiOkResponse({ type: UtilizationSummary })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`SUMMARY.INVALID_MONTH`.' })
  summary(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('month') month: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UtilizationSummary> {
    return this.summarize.execute(plan, month ?? '', principal.credentialId);
  }

  @Get('disclosures')
  @Authorize('partner')
  @ApiOperation({
    summary: "The disclosure ledger of the plan's data",
    description:
      'Every disclosure (feed pages, summaries, the Kafka topic): when, to whom, through which channel, which fields, which range, how many records.',
  })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD (inclusive, Los Angeles time); default 30 days ago.' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive); default today.' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiOkResponse({ type: DisclosurePage })
  async disclosures(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('limit') limitParam: string | undefined,
  ): Promise<DisclosurePage> {
    const [fromDate, toDate] = [dateQuery('from', from), dateQuery('to', to)];
    const start = fromDate ? startOfServiceDate(fromDate) : new Date(Date.now() - 30 * 24 * 3600_000);
    const end = toDate ? new Date(startOfServiceDate(toDate).getTime() + 24 * 3600_000) : new Date(Date.now() + 60_000);
    return { items: await this.readDisclosures.execute(plan, start, end, readLimit(limitParam, 1000)) };
  }
}
