import { IsDatabaseName, IsPort, ServiceEnvironment } from '@crc/platform';

export class MembershipEnvironment extends ServiceEnvironment {
  readonly serviceName = 'membership';

  @IsPort()
  PORT = 3002;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-membership';
}
