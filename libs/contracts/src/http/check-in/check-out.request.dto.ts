import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDateTime } from '../../events/common.validators';

export class CheckOutRequest {
  @ApiPropertyOptional({ format: 'date-time', description: "When the visitor left, by the kiosk's clock; now when absent." })
  @IsOptional()
  @IsDateTime()
  occurredAt?: string;
}
