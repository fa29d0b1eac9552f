import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiErrorBody {
  @ApiProperty({ description: 'Stable, machine-readable code, e.g. `VISIT.NOT_FOUND`.', example: 'REQUEST.VALIDATION_FAILED' })
  code!: string;

  @ApiProperty({ description: 'Human-readable explanation; never contains member ids.', example: 'The request is not valid.' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Structured detail: a list (e.g. the fields that failed validation, or the rejected rows) or an object.',
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
    example: [{ field: 'purposes', problems: ['purposes must contain at least 1 elements'] }],
  })
  details?: unknown;

  @ApiPropertyOptional({ description: 'Present on 500s: quote it to support; the logs carry the cause.' })
  errorId?: string;
}

/** The one error shape of every service. */
export class ApiErrorResponse {
  @ApiProperty({ type: ApiErrorBody })
  error!: ApiErrorBody;
}
