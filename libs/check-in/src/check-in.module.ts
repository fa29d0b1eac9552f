import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyModule, provideAggregateStore, provideIdentityRetention } from '@crc/platform';
import { TIME_POLICY } from './domain/time-policy.token';
import { TimePolicy } from './domain/visit';
import { VisitRepositoryPort } from './domain/visit.repository.port';
import { VisitRepository } from './persistence/visit.repository';
import { VisitDocument, VisitSchema } from './persistence/visit.schema';
import { CheckInVisitorUseCase } from './usecases/check-in-visitor/check-in-visitor.usecase';
import { CheckOutVisitorUseCase } from './usecases/check-out-visitor/check-out-visitor.usecase';
import { ListOpenVisitsUseCase } from './usecases/list-open-visits/list-open-visits.usecase';
import { ReadVisitUseCase } from './usecases/read-visit/read-visit.usecase';
import { SyncKioskQueueUseCase } from './usecases/sync-kiosk-queue/sync-kiosk-queue.usecase';

const USE_CASES = [CheckInVisitorUseCase, CheckOutVisitorUseCase, SyncKioskQueueUseCase, ListOpenVisitsUseCase, ReadVisitUseCase];

/** The check-in bounded context: visits as the front desk sees them, and the events they publish. */
@Module({})
export class CheckInModule {
  static registerAsync(options: { inject: unknown[]; useFactory: (...deps: never[]) => TimePolicy }): DynamicModule {
    return {
      module: CheckInModule,
      imports: [MongooseModule.forFeature([{ name: VisitDocument.name, schema: VisitSchema }]), IdempotencyModule],
      providers: [
        { provide: TIME_POLICY, inject: options.inject as never[], useFactory: options.useFactory },
        VisitRepository,
        { provide: VisitRepositoryPort, useExisting: VisitRepository },
        ...USE_CASES,
        ...provideAggregateStore(VisitDocument.name),
        ...provideIdentityRetention([
          { modelName: VisitDocument.name, serviceDateField: 'serviceDate', identityFields: ['visitor.memberId'], onlyWhen: { outboxPending: false } },
        ]),
      ],
      exports: USE_CASES,
    };
  }
}
