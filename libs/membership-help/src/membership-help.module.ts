import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyModule, provideAggregateStore } from '@crc/platform';
import { HelpCaseRepositoryPort } from './domain/help-case.repository.port';
import { HelpCaseRepository } from './persistence/help-case.repository';
import { HelpCaseDocument, HelpCaseSchema } from './persistence/help-case.schema';
import { AbandonHelpCaseUseCase } from './usecases/abandon-help-case/abandon-help-case.usecase';
import { AddHelpCaseNoteUseCase } from './usecases/add-help-case-note/add-help-case-note.usecase';
import { AssignHelpCaseUseCase } from './usecases/assign-help-case/assign-help-case.usecase';
import { EscalateHelpCaseUseCase } from './usecases/escalate-help-case/escalate-help-case.usecase';
import { HelpCaseChanges } from './usecases/help-case-changes';
import { ListHelpQueueUseCase } from './usecases/list-help-queue/list-help-queue.usecase';
import { OpenHelpCaseUseCase } from './usecases/open-help-case/open-help-case.usecase';
import { ReadHelpCaseUseCase } from './usecases/read-help-case/read-help-case.usecase';
import { ResolveHelpCaseUseCase } from './usecases/resolve-help-case/resolve-help-case.usecase';

const USE_CASES = [
  OpenHelpCaseUseCase,
  AssignHelpCaseUseCase,
  AddHelpCaseNoteUseCase,
  ResolveHelpCaseUseCase,
  EscalateHelpCaseUseCase,
  AbandonHelpCaseUseCase,
  ListHelpQueueUseCase,
  ReadHelpCaseUseCase,
];

/** The membership-help bounded context: the front desk's help cases and the events they publish. */
@Module({
  imports: [MongooseModule.forFeature([{ name: HelpCaseDocument.name, schema: HelpCaseSchema }]), IdempotencyModule],
  providers: [
    HelpCaseRepository,
    { provide: HelpCaseRepositoryPort, useExisting: HelpCaseRepository },
    HelpCaseChanges,
    ...USE_CASES,
    ...provideAggregateStore(HelpCaseDocument.name),
  ],
  exports: USE_CASES,
})
export class MembershipHelpModule {}
