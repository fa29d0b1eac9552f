import { ApiProperty } from '@nestjs/swagger';
import { VisitResponse } from './visit.response.dto';

export class OpenVisitsResponse {
  @ApiProperty({ example: '2026-11-28' })
  serviceDate!: string;

  @ApiProperty({ type: VisitResponse, isArray: true, description: 'Oldest check-in first.' })
  items!: VisitResponse[];
}
