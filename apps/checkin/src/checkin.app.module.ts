import { DynamicModule, Module } from '@nestjs/common';
import { CheckInModule } from '@crc/check-in';
import { VisitCheckedInV1Event, VisitCheckedOutV1Event } from '@crc/contracts';
import { Environment, PlatformModule, ServiceDefinition } from '@crc/platform';
import { CheckInsHttpController } from './check-ins.http.controller';
import { CheckinEnvironment } from './checkin.environment';

@Module({})
export class CheckinAppModule {
  static register(env: Environment): DynamicModule {
    return {
      module: CheckinAppModule,
      imports: [
        PlatformModule.forService(CheckinEnvironment, env, { produces: [VisitCheckedInV1Event, VisitCheckedOutV1Event] }),
        CheckInModule.registerAsync({
          inject: [CheckinEnvironment],
          useFactory: (config: CheckinEnvironment) => ({
            clockSkewSeconds: config.CLOCK_SKEW_ALLOWANCE_SECONDS,
            lookbackDays: config.CHECKIN_LOOKBACK_DAYS,
          }),
        }),
      ],
      controllers: [CheckInsHttpController],
    };
  }
}

export const CHECKIN_SERVICE: ServiceDefinition = {
  name: 'checkin',
  rootModule: (env) => CheckinAppModule.register(env),
  description: {
    title: 'CRC check-in service',
    description:
      'The front-desk kiosk API of the L.A. Care / Blue Shield Promise Community Resource Centers: check visitors in and out, ' +
      'and sync a queue of check-ins taken while offline. Writes accept an `Idempotency-Key` header, so a kiosk can always retry. ' +
      'Every request carries `Authorization: Bearer <kiosk token>`; a kiosk token works only for its own center. ' +
      'Errors always have the shape `{ "error": { "code", "message", "details" } }`.',
    version: '1.0.0',
    tags: { 'check-ins': "A center's visits: check-in, check-out, the open visits, and the sync of a kiosk's offline queue." },
  },
};
