import { Global, Module } from '@nestjs/common';
import { ServiceEnvironment } from '../config/service-environment';
import { CenterDirectory } from './center-directory';

@Global()
@Module({
  providers: [
    {
      provide: CenterDirectory,
      inject: [ServiceEnvironment],
      useFactory: (config: ServiceEnvironment) => CenterDirectory.fromFile(config.CENTERS_FILE),
    },
  ],
  exports: [CenterDirectory],
})
export class CentersModule {}
