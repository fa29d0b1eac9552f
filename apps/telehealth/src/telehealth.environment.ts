import { IsDatabaseName, IsPort, ServiceEnvironment } from '@crc/platform';

export class TelehealthEnvironment extends ServiceEnvironment {
  readonly serviceName = 'telehealth';

  @IsPort()
  PORT = 3003;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-telehealth';
}
