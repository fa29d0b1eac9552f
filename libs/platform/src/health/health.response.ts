import { ApiProperty } from '@nestjs/swagger';

/** The answer of `/health`, healthy (200) or not (503). */
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'], description: '`ok` with 200 when every check is `up`; `degraded` with 503 otherwise.' })
  status!: 'ok' | 'degraded';

  @ApiProperty({
    description:
      'Each check: `up`, or `down` with the reason after a colon. Always `store` and `kafka`; a service that consumes events adds its ' +
      'consumer (e.g. `consumer`), which is up once it has joined its group and caught up.',
    type: 'object',
    properties: { store: { type: 'string', enum: ['up', 'down'] }, kafka: { type: 'string', enum: ['up', 'down'] } },
    required: ['store', 'kafka'],
    additionalProperties: { type: 'string', pattern: '^(up|down(: .+)?)$' },
    example: { store: 'up', kafka: 'up' },
  })
  checks!: Record<string, string>;
}
