import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CenterDirectory } from '../centers/center-directory';
import { ServiceEnvironment } from '../config/service-environment';
import { AuthGuard } from './auth.guard';
import { CredentialStore } from './credential-store';

@Global()
@Module({
  providers: [
    {
      provide: CredentialStore,
      inject: [ServiceEnvironment, CenterDirectory],
      useFactory: (config: ServiceEnvironment, centers: CenterDirectory) =>
        CredentialStore.fromFile(config.CREDENTIALS_FILE, centers.ids()),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [CredentialStore],
})
export class AuthModule {}
