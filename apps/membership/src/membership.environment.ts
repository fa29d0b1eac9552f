import { IsDatabaseName, IsPort } from '@crc/platform';
import { VisitDirectoryServiceEnvironment } from '@crc/visit-directory';

export class MembershipEnvironment extends VisitDirectoryServiceEnvironment {
  readonly serviceName = 'membership';

  @IsPort()
  PORT = 3002;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-membership';
}
