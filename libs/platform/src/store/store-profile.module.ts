import { Global, Module } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ServiceEnvironment } from '../config/service-environment';
import { detectStore, StoreProfile } from './store-profile';

/** A probe slower than this means the store is not reachable (yet). */
const PROBE_TIMEOUT_MS = 10_000;
/** As many attempts, as far apart, as the service's own connection would make at start (Nest's mongoose defaults). */
const PROBE_ATTEMPTS = 9;
const PROBE_RETRY_MS = 3_000;

/** The store the service found at start (see StoreProfile), for the connection and every writer. */
@Global()
@Module({
  providers: [
    {
      provide: StoreProfile,
      inject: [ServiceEnvironment, PinoLogger],
      useFactory: async (config: ServiceEnvironment, log: PinoLogger): Promise<StoreProfile> => {
        log.setContext('StoreProfile');
        for (let attempt = 1; ; attempt++) {
          try {
            const profile = await detectStore(config.MONGODB_URI, { timeoutMs: PROBE_TIMEOUT_MS });
            log.info({ store: profile.kind, ...profile.connectionOptions(), atomicUpdates: profile.atomicUpdates }, 'store detected');
            return profile;
          } catch (error) {
            if (attempt >= PROBE_ATTEMPTS) throw error;
            log.warn({ err: error, attempt }, 'store not reachable to detect its kind; trying again');
            await new Promise((resolve) => setTimeout(resolve, PROBE_RETRY_MS));
          }
        }
      },
    },
  ],
  exports: [StoreProfile],
})
export class StoreProfileModule {}
