import { IsDatabaseName, IsPort, ServiceEnvironment } from '@crc/platform';

export class CheckinEnvironment extends ServiceEnvironment {
  readonly serviceName = 'checkin';

  @IsPort()
  PORT = 3001;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-checkin';
}
