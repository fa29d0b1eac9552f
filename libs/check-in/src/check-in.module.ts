import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { provideOutboxRelay } from '@crc/platform';
import { VisitRepository } from './persistence/visit.repository';
import { VisitDocument, VisitSchema } from './persistence/visit.schema';
import { CheckInVisitorUseCase } from './usecases/check-in-visitor/check-in-visitor.usecase';

/** The check-in bounded context: visits as the front desk sees them, and the events they publish. */
@Module({
  imports: [MongooseModule.forFeature([{ name: VisitDocument.name, schema: VisitSchema }])],
  providers: [VisitRepository, CheckInVisitorUseCase, ...provideOutboxRelay(VisitDocument.name)],
  exports: [CheckInVisitorUseCase, VisitRepository],
})
export class CheckInModule {}
