import { DynamicModule, Module } from '@nestjs/common';
import { Environment, PlatformModule, ServiceDefinition } from '@crc/platform';
import { TelehealthEnvironment } from './telehealth.environment';

@Module({})
export class TelehealthAppModule {
  static register(env: Environment): DynamicModule {
    return {
      module: TelehealthAppModule,
      imports: [PlatformModule.forService(TelehealthEnvironment, env, { produces: [] })],
    };
  }
}

export const TELEHEALTH_SERVICE: ServiceDefinition = {
  name: 'telehealth',
  rootModule: (env) => TelehealthAppModule.register(env),
  description: {
    title: 'CRC telehealth Wi-Fi service',
    description: 'Centers lend Wi-Fi, rooms and tablets for telehealth appointments: sessions, heartbeats, minutes used.',
    version: '0.1.0',
  },
};
