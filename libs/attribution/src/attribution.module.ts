import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttributionMetrics } from './attribution.metrics';
import { ATTRIBUTION_SCHEDULE, AttributionSchedule, AttributionScheduler } from './attribution.scheduler';
import { AttributionConflictRepository } from './persistence/attribution-conflict.repository';
import { AttributionConflictDocument, AttributionConflictSchema } from './persistence/attribution-conflict.schema';
import { ReattributeAfterUploadUseCase } from './usecases/reattribute-after-upload/reattribute-after-upload.usecase';
import { ReviewConflictsUseCase } from './usecases/review-conflicts/review-conflicts.usecase';
import { UpgradeRuleVersionUseCase } from './usecases/upgrade-rule-version/upgrade-rule-version.usecase';
import { AttributionPolicy } from './domain/attribution-policy';
import { AttributionConflictRepositoryPort } from './domain/attribution-conflict.repository.port';
import { CoverageLookupPort } from './domain/coverage-lookup.port';
import { ServiceUseRepositoryPort } from './domain/service-use.repository.port';
import { VisitAttributionRepositoryPort } from './domain/visit-attribution.repository.port';
import { VisitRecordRepositoryPort } from './domain/visit-record.repository.port';
import { CoverageRepository } from '@crc/eligibility';
import { provideAggregateStore, provideIdentityRetention } from '@crc/platform';
import { DisclosureLedger } from './persistence/disclosure-ledger.repository';
import { DisclosureDocument, DisclosureSchema } from './persistence/disclosure.schema';
import { FhirExportRepository } from './persistence/fhir-export.repository';
import { FhirExportDocument, FhirExportSchema } from './persistence/fhir-export.schema';
import { BackfillDashboardTalliesUseCase } from './usecases/backfill-dashboard-tallies/backfill-dashboard-tallies.usecase';
import { FhirExportUseCase } from './usecases/fhir-export/fhir-export.usecase';
import { FhirDefinitions } from './domain/fhir-definitions';
import { FHIR_PSEUDONYMS } from './domain/fhir-mapping';
import { FhirPseudonyms } from './domain/fhir-mapping';
import { DashboardTallyRepository } from './persistence/dashboard-tally.repository';
import { DashboardDaySummaryDocument, DashboardDaySummarySchema, DashboardTallyDocument, DashboardTallySchema } from './persistence/dashboard-tally.schema';
import { ServiceUseRepository } from './persistence/service-use.repository';
import {
  HelpCaseRecordDocument,
  HelpCaseRecordSchema,
  QuarantinedServiceDocument,
  QuarantinedServiceSchema,
  WifiSessionRecordDocument,
  WifiSessionRecordSchema,
} from './persistence/service-use.schema';
import { DashboardChanges } from './usecases/dashboard/dashboard-changes';
import { DashboardSummaryUseCase } from './usecases/dashboard/dashboard-summary.usecase';
import { QuarantinedServicesUseCase } from './usecases/quarantined-services/quarantined-services.usecase';
import { UtilizationFeedRepository } from './persistence/utilization-feed.repository';
import { UtilizationFeedSink } from './persistence/utilization-feed.sink';
import { SequenceDocument, SequenceSchema, UtilizationRecordDocument, UtilizationRecordSchema } from './persistence/utilization-record.schema';
import { VisitAttributionRepository } from './persistence/visit-attribution.repository';
import { VisitAttributionDocument, VisitAttributionSchema } from './persistence/visit-attribution.schema';
import { VisitRecordRepository } from './persistence/visit-record.repository';
import { VisitRecordDocument, VisitRecordSchema } from './persistence/visit-record.schema';
import { ATTRIBUTION_POLICY, AttributeVisitUseCase } from './usecases/attribute-visit/attribute-visit.usecase';
import { ReadUtilizationFeedUseCase } from './usecases/read-utilization-feed/read-utilization-feed.usecase';
import { ReattributeVisitsUseCase } from './usecases/reattribute-visits/reattribute-visits.usecase';
import { ReadDisclosuresUseCase } from './usecases/read-disclosures/read-disclosures.usecase';
import { SummarizeUtilizationUseCase } from './usecases/summarize-utilization/summarize-utilization.usecase';
import { RecordVisitEventsUseCase } from './usecases/record-visit-events/record-visit-events.usecase';

/**
 * The attribution bounded context: reporting's record of every visit, its attribution to a plan
 * under the rules of docs/domain.md, and the plans' utilization feeds.
 * Needs the eligibility module's CoverageRepository and ProductLineCatalog (import EligibilityModule alongside).
 */
@Module({})
export class AttributionModule {
  static registerAsync(options: {
    imports: DynamicModule[];
    inject: unknown[];
    useFactory: (...deps: never[]) => AttributionPolicy;
    /** When background re-attribution runs; with the same `inject`. */
    schedule: (...deps: never[]) => AttributionSchedule;
    /** The secret key of the FHIR export's pseudonymous Patient and Coverage ids. */
    fhirPseudonymKey: (...deps: never[]) => string;
    /** The base of the FHIR definitions' canonical URLs (FHIR_CANONICAL_BASE); the placeholder when left out. */
    fhirCanonicalBase?: (...deps: never[]) => string;
  }): DynamicModule {
    return {
      module: AttributionModule,
      imports: [
        ...options.imports,
        MongooseModule.forFeature([
          { name: VisitRecordDocument.name, schema: VisitRecordSchema },
          { name: VisitAttributionDocument.name, schema: VisitAttributionSchema },
          { name: UtilizationRecordDocument.name, schema: UtilizationRecordSchema },
          { name: SequenceDocument.name, schema: SequenceSchema },
          { name: DisclosureDocument.name, schema: DisclosureSchema },
          { name: FhirExportDocument.name, schema: FhirExportSchema },
          { name: HelpCaseRecordDocument.name, schema: HelpCaseRecordSchema },
          { name: WifiSessionRecordDocument.name, schema: WifiSessionRecordSchema },
          { name: AttributionConflictDocument.name, schema: AttributionConflictSchema },
          { name: QuarantinedServiceDocument.name, schema: QuarantinedServiceSchema },
          { name: DashboardTallyDocument.name, schema: DashboardTallySchema },
          { name: DashboardDaySummaryDocument.name, schema: DashboardDaySummarySchema },
        ]),
      ],
      providers: [
        { provide: ATTRIBUTION_POLICY, inject: options.inject as never[], useFactory: options.useFactory },
        { provide: ATTRIBUTION_SCHEDULE, inject: options.inject as never[], useFactory: options.schedule },
        AttributionConflictRepository,
        ReviewConflictsUseCase,
        ReattributeAfterUploadUseCase,
        UpgradeRuleVersionUseCase,
        BackfillDashboardTalliesUseCase,
        AttributionScheduler,
        {
          provide: FHIR_PSEUDONYMS,
          inject: options.inject as never[],
          useFactory: (...deps: never[]) => new FhirPseudonyms(options.fhirPseudonymKey(...deps)),
        },
        {
          provide: FhirDefinitions,
          inject: options.inject as never[],
          useFactory: (...deps: never[]) => new FhirDefinitions(options.fhirCanonicalBase?.(...deps)),
        },
        DashboardTallyRepository,
        VisitRecordRepository,
        VisitAttributionRepository,
        UtilizationFeedRepository,
        UtilizationFeedSink,
        ...provideAggregateStore(VisitAttributionDocument.name, { sink: UtilizationFeedSink, writer: 'consumer' }),
        ...provideIdentityRetention([
          {
            modelName: VisitRecordDocument.name,
            serviceDateField: 'serviceDate',
            identityFields: ['memberId'],
            onlyWhen: { checkInSeen: true, attribution: { $exists: true } },
          },
          { modelName: UtilizationRecordDocument.name, serviceDateField: 'serviceDate', identityFields: ['memberId'] },
          { modelName: DashboardTallyDocument.name, serviceDateField: 'serviceDate', identityFields: ['visitors'] },
          // A day whose pseudonyms are erased then counts its own unique visitors (see DaySummary).
          {
            modelName: DashboardDaySummaryDocument.name,
            serviceDateField: 'serviceDate',
            identityFields: ['visitorKeys'],
            lockedAs: DashboardTallyDocument.name,
          },
        ]),
        // The ports the consumer's use cases are written against, bound to the store's repositories.
        { provide: VisitRecordRepositoryPort, useExisting: VisitRecordRepository },
        { provide: ServiceUseRepositoryPort, useExisting: ServiceUseRepository },
        { provide: VisitAttributionRepositoryPort, useExisting: VisitAttributionRepository },
        { provide: AttributionConflictRepositoryPort, useExisting: AttributionConflictRepository },
        { provide: CoverageLookupPort, useExisting: CoverageRepository },
        AttributionMetrics,
        AttributeVisitUseCase,
        RecordVisitEventsUseCase,
        ReadUtilizationFeedUseCase,
        ReattributeVisitsUseCase,
        DisclosureLedger,
        ReadDisclosuresUseCase,
        SummarizeUtilizationUseCase,
        FhirExportUseCase,
        FhirExportRepository,
        ServiceUseRepository,
        DashboardChanges,
        DashboardSummaryUseCase,
        QuarantinedServicesUseCase,
      ],
      exports: [
        AttributionScheduler,
        ReviewConflictsUseCase,
        ReattributeAfterUploadUseCase,
        UpgradeRuleVersionUseCase,
        QuarantinedServicesUseCase,
        ServiceUseRepository,
        DashboardTallyRepository,
        DashboardChanges,
        DashboardSummaryUseCase,
        FhirExportUseCase,
        FhirDefinitions,
        VisitRecordRepository,
        RecordVisitEventsUseCase,
        ReadUtilizationFeedUseCase,
        AttributeVisitUseCase,
        ReattributeVisitsUseCase,
        ReadDisclosuresUseCase,
        SummarizeUtilizationUseCase,
      ],
    };
  }
}
