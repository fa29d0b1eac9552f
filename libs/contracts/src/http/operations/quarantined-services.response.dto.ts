import { ApiProperty } from '@nestjs/swagger';

export const QUARANTINED_SERVICE_KINDS = ['HELP_CASE', 'WIFI_SESSION'] as const;

export class QuarantinedServiceCount {
  @ApiProperty({ example: 'crc-pomona', description: 'The center the help case or Wi-Fi session was opened at.' })
  centerId!: string;

  @ApiProperty({ example: '2026-11-28', description: 'Its service date (America/Los_Angeles).' })
  serviceDate!: string;

  @ApiProperty({ enum: QUARANTINED_SERVICE_KINDS })
  kind!: (typeof QUARANTINED_SERVICE_KINDS)[number];

  @ApiProperty({ minimum: 1, description: 'Exact: operations only.' })
  count!: number;
}

export class QuarantinedServicesResponse {
  @ApiProperty({ minimum: 0, description: 'Every service kept aside.' })
  total!: number;

  @ApiProperty({ type: QuarantinedServiceCount, isArray: true, description: 'Per center, service date and kind; newest service date first.' })
  counts!: QuarantinedServiceCount[];
}
