import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsIn, IsOptional, IsUUID, Matches, ValidateNested } from 'class-validator';
import { VISIT_PURPOSES, VisitPurpose } from '../../visit-purposes';
import { VisitorInput } from './check-in.request.dto';
import { ApiErrorBody } from '../api-error.response';
import { IsDateTime } from '../../events/common.validators';

export const KIOSK_SYNC_MAX_ITEMS = 500;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;

export class CheckInSyncItem {
  @ApiProperty({ enum: ['CHECK_IN'] })
  @Equals('CHECK_IN')
  type!: 'CHECK_IN';

  @ApiProperty({
    description: "The kiosk's own id for this queued action (a UUID): replaying it is harmless.",
    example: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10',
    pattern: KEY_PATTERN.source,
  })
  @Matches(KEY_PATTERN, { message: 'idempotencyKey must be 8 to 100 letters, digits, dots, dashes, colons or underscores' })
  idempotencyKey!: string;

  @ApiProperty({ format: 'date-time', description: "When it happened, by the kiosk's clock." })
  @IsDateTime()
  occurredAt!: string;

  @ApiPropertyOptional({ type: VisitorInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitorInput)
  visitor?: VisitorInput;

  @ApiProperty({ enum: VISIT_PURPOSES, isArray: true, minItems: 1, maxItems: VISIT_PURPOSES.length, uniqueItems: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(VISIT_PURPOSES.length)
  @ArrayUnique()
  @IsIn(VISIT_PURPOSES, { each: true })
  purposes!: VisitPurpose[];
}

export class CheckOutSyncItem {
  @ApiProperty({ enum: ['CHECK_OUT'] })
  @Equals('CHECK_OUT')
  type!: 'CHECK_OUT';

  @ApiProperty({ description: "The kiosk's own id for this queued action (a UUID).", pattern: KEY_PATTERN.source })
  @Matches(KEY_PATTERN, { message: 'idempotencyKey must be 8 to 100 letters, digits, dots, dashes, colons or underscores' })
  idempotencyKey!: string;

  @ApiProperty({ format: 'date-time', description: "When the visitor left, by the kiosk's clock." })
  @IsDateTime()
  occurredAt!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The visit, when the kiosk knows its id. Give this or `checkInIdempotencyKey`.' })
  @IsOptional()
  @IsUUID()
  visitId?: string;

  @ApiPropertyOptional({
    description: 'The `idempotencyKey` of the check-in this closes, for a visit checked in while offline (its id is not known yet).',
    pattern: KEY_PATTERN.source,
  })
  @IsOptional()
  @Matches(KEY_PATTERN, { message: 'checkInIdempotencyKey must be 8 to 100 letters, digits, dots, dashes, colons or underscores' })
  checkInIdempotencyKey?: string;
}

@ApiExtraModels(CheckInSyncItem, CheckOutSyncItem)
export class KioskSyncRequest {
  @ApiProperty({
    description: `Queued actions in the order they happened, up to ${KIOSK_SYNC_MAX_ITEMS}. Each is validated and applied on its own.`,
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(CheckInSyncItem) }, { $ref: getSchemaPath(CheckOutSyncItem) }] },
    minItems: 1,
    maxItems: KIOSK_SYNC_MAX_ITEMS,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(KIOSK_SYNC_MAX_ITEMS)
  items!: unknown[];
}

export class KioskSyncItemResult {
  @ApiProperty({ description: 'Position of the item in the request, from 0.' })
  index!: number;

  @ApiPropertyOptional()
  idempotencyKey?: string;

  @ApiProperty({
    enum: ['ACCEPTED', 'DUPLICATE', 'REJECTED'],
    description: 'ACCEPTED: applied now. DUPLICATE: applied before (a replay); nothing new happened. REJECTED: not applied, see `error`.',
  })
  outcome!: 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

  @ApiPropertyOptional({ format: 'uuid' })
  visitId?: string;

  @ApiPropertyOptional({ type: ApiErrorBody })
  error?: ApiErrorBody;

  @ApiPropertyOptional({ description: 'For REJECTED: true when sending the item again later may succeed (a server-side problem).' })
  retryable?: boolean;
}

export class KioskSyncResponse {
  @ApiProperty({ type: KioskSyncItemResult, isArray: true })
  results!: KioskSyncItemResult[];

  @ApiProperty({ example: { accepted: 3, duplicate: 1, rejected: 0 } })
  summary!: { accepted: number; duplicate: number; rejected: number };
}
