import { DynamicModule, Module } from '@nestjs/common';
import { Environment, PlatformModule, ServiceDefinition } from '@crc/platform';
import { MembershipEnvironment } from './membership.environment';

@Module({})
export class MembershipAppModule {
  static register(env: Environment): DynamicModule {
    return {
      module: MembershipAppModule,
      imports: [PlatformModule.forService(MembershipEnvironment, env, { produces: [] })],
    };
  }
}

export const MEMBERSHIP_SERVICE: ServiceDefinition = {
  name: 'membership',
  rootModule: (env) => MembershipAppModule.register(env),
  description: {
    title: 'CRC membership-help service',
    description: 'Staff work the membership-help queue: cases for enrolment, renewals, ID cards, PCP changes and more.',
    version: '0.1.0',
  },
};
