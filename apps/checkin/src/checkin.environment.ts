import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsDatabaseName, IsPort, ServiceEnvironment } from '@crc/platform';

export class CheckinEnvironment extends ServiceEnvironment {
  readonly serviceName = 'checkin';

  @IsPort()
  PORT = 3001;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-checkin';

  /** How far ahead of the server a kiosk's clock may run before its times are refused. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  CLOCK_SKEW_ALLOWANCE_SECONDS = 300;

  /** Check-ins older than this are refused (they could no longer be attributed again). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  CHECKIN_LOOKBACK_DAYS = 90;
}
