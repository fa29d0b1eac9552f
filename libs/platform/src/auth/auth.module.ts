import { readFileSync } from 'node:fs';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { CenterDirectory } from '../centers/center-directory';
import { holdsDevelopmentToken } from '../config/deployment-stance';
import { ServiceEnvironment } from '../config/service-environment';
import { AuthGuard } from './auth.guard';
import { CredentialStore } from './credential-store';

@Global()
@Module({
  providers: [
    {
      provide: CredentialStore,
      inject: [ServiceEnvironment, CenterDirectory],
      useFactory: (config: ServiceEnvironment, centers: CenterDirectory) => CredentialStore.fromFile(config.CREDENTIALS_FILE, centers.ids()),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
    {
      provide: 'CredentialReload',
      inject: [CredentialStore, ServiceEnvironment, CenterDirectory, PinoLogger],
      useFactory: (store: CredentialStore, config: ServiceEnvironment, centers: CenterDirectory, log: PinoLogger) => {
        log.setContext('CredentialReload');
        let timer: NodeJS.Timeout | undefined;
        // Nest calls these hooks on any provider instance that has them.
        return {
          onApplicationBootstrap: () => {
            timer = setInterval(() => {
              try {
                // Boot refused the development tokens in production; a rotation must not bring them in.
                if (config.deploymentStance === 'production' && holdsDevelopmentToken(readFileSync(config.CREDENTIALS_FILE, 'utf8'))) {
                  throw new Error('the credentials file now holds development tokens');
                }
                store.replaceWith(CredentialStore.fromFile(config.CREDENTIALS_FILE, centers.ids()));
              } catch (error) {
                // A half-written or broken file must not lock everyone out: keep the last good one.
                log.error({ err: error }, 'credentials file could not be reloaded; keeping the previous credentials');
              }
            }, config.CREDENTIALS_RELOAD_SECONDS * 1000);
            timer.unref();
          },
          onModuleDestroy: () => clearInterval(timer),
        };
      },
    },
  ],
  exports: [CredentialStore],
})
export class AuthModule {}
