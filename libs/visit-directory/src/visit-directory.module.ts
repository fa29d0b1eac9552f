import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CHECKED_IN_VISITS_CONSUMER_GROUP, CheckedInVisitsMessageController } from './checked-in-visits.message.controller';
import { KnownVisitRepository } from './persistence/known-visit.repository';
import { KnownVisitDocument, KnownVisitSchema } from './persistence/known-visit.schema';
import { EnsureVisitOfCenterUseCase } from './usecases/ensure-visit-of-center/ensure-visit-of-center.usecase';
import { ForgetOldVisitsSweep } from './usecases/forget-old-visits/forget-old-visits.sweep';
import { RecordCheckedInVisitsUseCase } from './usecases/record-checked-in-visits/record-checked-in-visits.usecase';
import { VISIT_DIRECTORY_OPTIONS, VisitDirectoryOptions } from './visit-directory.options';

const USE_CASES = [RecordCheckedInVisitsUseCase, EnsureVisitOfCenterUseCase];

/**
 * The visits a producing service (membership, telehealth) knows from the check-in service's
 * events, so that a help case or a Wi-Fi session names a visit of its own center only.
 * Global: the bounded contexts' use cases ask it; it feeds itself from `crc.checkin.visit-checked-in.v1`.
 */
@Module({})
export class VisitDirectoryModule {
  static registerAsync(options: { inject: unknown[]; useFactory: (...deps: never[]) => VisitDirectoryOptions }): DynamicModule {
    return {
      module: VisitDirectoryModule,
      global: true,
      imports: [MongooseModule.forFeature([{ name: KnownVisitDocument.name, schema: KnownVisitSchema }])],
      controllers: [CheckedInVisitsMessageController],
      providers: [
        { provide: VISIT_DIRECTORY_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        KnownVisitRepository,
        ForgetOldVisitsSweep,
        CHECKED_IN_VISITS_CONSUMER_GROUP,
        ...USE_CASES,
      ],
      exports: USE_CASES,
    };
  }
}
