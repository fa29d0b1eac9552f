import { DynamicModule, Module } from '@nestjs/common';
import { WifiSessionEndedV1Event, WifiSessionStartedV1Event } from '@crc/contracts';
import { Environment, PlatformModule, ServiceDefinition } from '@crc/platform';
import { TelehealthModule } from '@crc/telehealth';
import { VisitDirectoryModule } from '@crc/visit-directory';
import { TelehealthEnvironment } from './telehealth.environment';
import { WifiSessionsHttpController } from './wifi-sessions.http.controller';

@Module({})
export class TelehealthAppModule {
  static register(env: Environment): DynamicModule {
    return {
      module: TelehealthAppModule,
      imports: [
        PlatformModule.forService(TelehealthEnvironment, env, { produces: [WifiSessionStartedV1Event, WifiSessionEndedV1Event] }),
        VisitDirectoryModule.registerAsync({
          inject: [TelehealthEnvironment],
          useFactory: (config: TelehealthEnvironment) => ({
            service: 'telehealth',
            retentionDays: config.KNOWN_VISITS_RETENTION_DAYS,
            sweepIntervalSeconds: config.KNOWN_VISITS_SWEEP_SECONDS,
            readyMaxConsumerLag: config.READY_MAX_CONSUMER_LAG,
          }),
        }),
        TelehealthModule.registerAsync({
          inject: [TelehealthEnvironment],
          useFactory: (config: TelehealthEnvironment) => ({
            idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
            sweepIntervalSeconds: config.SESSION_SWEEP_INTERVAL_SECONDS,
            deviceIdHashKey: config.DEVICE_ID_HASH_KEY,
          }),
        }),
      ],
      controllers: [WifiSessionsHttpController],
    };
  }
}

export const TELEHEALTH_SERVICE: ServiceDefinition = {
  name: 'telehealth',
  rootModule: (env) => TelehealthAppModule.register(env),
  description: {
    title: 'CRC telehealth Wi-Fi service',
    description:
      'Community Resource Centers lend Wi-Fi (and sometimes a private room and a tablet) so members can attend telehealth appointments. ' +
      'The kiosk starts a session for a visit of its own center (the service learns visits from `crc.checkin.visit-checked-in.v1`), the kiosk or the access point sends heartbeats, and the kiosk or staff end it; a session ' +
      'without a heartbeat for the idle timeout (600 s by default) ends at its last heartbeat. A device has at most one session in ' +
      'progress per center. Device MAC addresses are kept only as a keyed hash. Starts and ends are published to Kafka ' +
      '(`crc.telehealth.*.v1`, keyed by the visit id). Writes accept an `Idempotency-Key` header. Every request carries ' +
      '`Authorization: Bearer <kiosk or staff token>`, valid only for its own center. ' +
      'Errors always have the shape `{ "error": { "code", "message", "details" } }`.',
    version: '1.0.0',
    tags: { 'wifi-sessions': "Wi-Fi sessions lent for telehealth appointments: start, heartbeats, end, and the center's view." },
  },
};
