import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProductLineCatalog } from './domain/product-line-catalog';
import { CoverageRepository } from './persistence/coverage.repository';
import { CoverageDocument, CoverageSchema } from './persistence/coverage.schema';
import { RosterUploadRepository } from './persistence/roster-upload.repository';
import { RosterUploadDocument, RosterUploadSchema } from './persistence/roster-upload.schema';
import { UploadRosterUseCase } from './usecases/upload-roster/upload-roster.usecase';
import { X12InterchangeRepository } from './persistence/x12-interchange.repository';
import { X12InterchangeDocument, X12InterchangeSchema } from './persistence/x12-interchange.schema';
import { X12StagedBatchRepository } from './persistence/x12-staged-batch.repository';
import { X12StagedBatchDocument, X12StagedBatchSchema } from './persistence/x12-staged-batch.schema';
import { UploadX12RosterUseCase } from './usecases/upload-x12-roster/upload-x12-roster.usecase';
import { Enrollment834Mappings } from './x12/enrollment-834-mapping';

/** The eligibility bounded context: each plan's roster of covered members. */
@Module({})
export class EligibilityModule {
  static registerAsync(options: { inject: unknown[]; useFactory: (...deps: never[]) => { productLinesFile: string; x12MappingFile: string } }): DynamicModule {
    return {
      module: EligibilityModule,
      imports: [
        MongooseModule.forFeature([
          { name: CoverageDocument.name, schema: CoverageSchema },
          { name: RosterUploadDocument.name, schema: RosterUploadSchema },
          { name: X12StagedBatchDocument.name, schema: X12StagedBatchSchema },
          { name: X12InterchangeDocument.name, schema: X12InterchangeSchema },
        ]),
      ],
      providers: [
        CoverageRepository,
        RosterUploadRepository,
        UploadRosterUseCase,
        UploadX12RosterUseCase,
        X12StagedBatchRepository,
        X12InterchangeRepository,
        {
          provide: ProductLineCatalog,
          inject: options.inject as never[],
          useFactory: (...deps: never[]) => ProductLineCatalog.fromFile(options.useFactory(...deps).productLinesFile),
        },
        {
          // Checked at boot against the plans' product lines: a mapping naming one a plan lacks stops the start.
          provide: Enrollment834Mappings,
          inject: [ProductLineCatalog, ...(options.inject as never[])],
          useFactory: (catalog: ProductLineCatalog, ...deps: never[]) =>
            Enrollment834Mappings.fromFile(options.useFactory(...deps).x12MappingFile, (plan) => catalog.of(plan)),
        },
      ],
      exports: [CoverageRepository, RosterUploadRepository, UploadRosterUseCase, UploadX12RosterUseCase, ProductLineCatalog],
    };
  }
}
