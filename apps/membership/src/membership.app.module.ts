import { DynamicModule, Module } from '@nestjs/common';
import { HelpRequestedV1Event, HelpResolvedV1Event, HelpStatusChangedV1Event } from '@crc/contracts';
import { MembershipHelpModule } from '@crc/membership-help';
import { Environment, PlatformModule, ServiceDefinition } from '@crc/platform';
import { VisitDirectoryModule } from '@crc/visit-directory';
import { HelpCasesHttpController } from './help-cases.http.controller';
import { MembershipEnvironment } from './membership.environment';

@Module({})
export class MembershipAppModule {
  static register(env: Environment): DynamicModule {
    return {
      module: MembershipAppModule,
      imports: [
        PlatformModule.forService(MembershipEnvironment, env, {
          produces: [HelpRequestedV1Event, HelpStatusChangedV1Event, HelpResolvedV1Event],
        }),
        VisitDirectoryModule.registerAsync({
          inject: [MembershipEnvironment],
          useFactory: (config: MembershipEnvironment) => ({
            service: 'membership',
            retentionDays: config.KNOWN_VISITS_RETENTION_DAYS,
            sweepIntervalSeconds: config.KNOWN_VISITS_SWEEP_SECONDS,
            readyMaxConsumerLag: config.READY_MAX_CONSUMER_LAG,
          }),
        }),
        MembershipHelpModule,
      ],
      controllers: [HelpCasesHttpController],
    };
  }
}

export const MEMBERSHIP_SERVICE: ServiceDefinition = {
  name: 'membership',
  rootModule: (env) => MembershipAppModule.register(env),
  description: {
    title: 'CRC membership-help service',
    description:
      'The front desk of the L.A. Care / Blue Shield Promise Community Resource Centers helps visitors with their plan: enrolment and ' +
      'renewals (Medi-Cal redetermination included), ID cards, PCP changes, contact updates, benefits questions, grievance intake. ' +
      'A case names a visit of its own center only (the service learns visits from `crc.checkin.visit-checked-in.v1`). ' +
      'A kiosk or staff opens a case; staff take it up, add notes (never published: they may hold PHI) and resolve, escalate or ' +
      'abandon it. Each step is published to Kafka (`crc.membership.*.v1`, keyed by the visit id). Writes accept an `Idempotency-Key` ' +
      'header. Every request carries `Authorization: Bearer <kiosk or staff token>`, valid only for its own center. ' +
      'Errors always have the shape `{ "error": { "code", "message", "details" } }`.',
    version: '1.0.0',
    tags: { 'help-cases': "Membership-help cases of a center's visits, from opening to resolution." },
  },
};
