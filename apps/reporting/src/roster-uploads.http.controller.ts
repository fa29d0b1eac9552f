import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RosterUploadRepository } from '@crc/eligibility';
import { ApiErrorResponse, RosterUploadAuditPage } from '@crc/contracts';
import { Authorize, dateTimeQuery, integerQuery } from '@crc/platform';

/** The audit of roster uploads: who uploaded what, when, and how many lines. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorResponse })
@ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Operations tokens only.' })
@Controller('v1/operations/roster-uploads')
export class RosterUploadsHttpController {
  constructor(private readonly uploads: RosterUploadRepository) {}

  @Get()
  @Authorize('ops')
  @ApiOperation({
    summary: 'Every roster upload, newest first',
    description:
      'Who (the credential of the token), when, which plan, mode and format, lines accepted, rejected and removed, the outcome (refused uploads included), and whether the visits it concerns have been attributed again. No member identifiers.',
  })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000; 100 by default.' })
  @ApiQuery({ name: 'before', required: false, description: 'A `nextBefore` from the previous page.' })
  @ApiOkResponse({ type: RosterUploadAuditPage })
  @ApiBadRequestResponse({ type: ApiErrorResponse, description: '`REQUEST.VALIDATION_FAILED`: `limit` or `before` is malformed.' })
  async list(@Query('limit') limitParam: string | undefined, @Query('before') beforeParam: string | undefined): Promise<RosterUploadAuditPage> {
    const limit = integerQuery('limit', limitParam, { min: 1, max: 1000, fallback: 100 });
    const before = dateTimeQuery('before', beforeParam);
    const docs = await this.uploads.list(limit, before);
    return {
      items: docs.map((d) => ({
        uploadId: d._id,
        plan: d.plan,
        mode: d.mode,
        format: d.format,
        uploadedBy: d.uploadedBy,
        receivedAt: d.receivedAt.toISOString(),
        ...(d.finishedAt ? { finishedAt: d.finishedAt.toISOString() } : {}),
        status: d.status,
        ...(d.outcome ? { outcome: d.outcome } : {}),
        accepted: d.accepted,
        rejected: d.rejected,
        removed: d.removed,
        ...(d.reattributedAt ? { reattributedAt: d.reattributedAt.toISOString() } : {}),
      })),
      ...(docs.length === limit ? { nextBefore: docs[docs.length - 1].receivedAt.toISOString() } : {}),
    };
  }
}
