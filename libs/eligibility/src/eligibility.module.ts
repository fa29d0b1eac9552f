import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProductLineCatalog } from './domain/product-line-catalog';
import { CoverageRepository } from './persistence/coverage.repository';
import { CoverageDocument, CoverageSchema } from './persistence/coverage.schema';
import { RosterUploadRepository } from './persistence/roster-upload.repository';
import { RosterUploadDocument, RosterUploadSchema } from './persistence/roster-upload.schema';
import { UploadRosterUseCase } from './usecases/upload-roster/upload-roster.usecase';

/** The eligibility bounded context: each plan's roster of covered members. */
@Module({})
export class EligibilityModule {
  static registerAsync(options: {
    inject: unknown[];
    useFactory: (...deps: never[]) => { productLinesFile: string };
  }): DynamicModule {
    return {
      module: EligibilityModule,
      imports: [
        MongooseModule.forFeature([
          { name: CoverageDocument.name, schema: CoverageSchema },
          { name: RosterUploadDocument.name, schema: RosterUploadSchema },
        ]),
      ],
      providers: [
        CoverageRepository,
        RosterUploadRepository,
        UploadRosterUseCase,
        {
          provide: ProductLineCatalog,
          inject: options.inject as never[],
          useFactory: (...deps: never[]) => ProductLineCatalog.fromFile(options.useFactory(...deps).productLinesFile),
        },
      ],
      exports: [CoverageRepository, RosterUploadRepository, UploadRosterUseCase, ProductLineCatalog],
    };
  }
}
