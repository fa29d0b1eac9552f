import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class CheckOutRequest {
  @ApiPropertyOptional({ format: 'date-time', description: "When the visitor left, by the kiosk's clock; now when absent." })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}
