import { DynamicModule, Module } from '@nestjs/common';
import {
  AttributionModule,
  DashboardChanges,
  DashboardSummaryUseCase,
  FhirDefinitions,
  parseCommunityShares,
  parseConflictPrecedence,
  parsePlanPartnerPlans,
} from '@crc/attribution';
import { UtilizationRecordedV1Events } from '@crc/contracts';
import { EligibilityModule } from '@crc/eligibility';
import { Environment, MetricsRegistry, PlatformModule, ServiceDefinition } from '@crc/platform';
import { Gauge } from 'prom-client';
import { DashboardStreamHub } from './dashboard/dashboard-stream.hub';
import { EligibilityHttpController, ROSTER_CONTENT_TYPES, X12_CONTENT_TYPES } from './eligibility.http.controller';
import { FhirConformanceHttpController } from './fhir-conformance.http.controller';
import { FhirExportHttpController } from './fhir-export.http.controller';
import { fhirErrorFormat } from './fhir-responses';
import { AttributionConflictsHttpController } from './attribution-conflicts.http.controller';
import { OperationsHttpController } from './operations.http.controller';
import { RosterUploadsHttpController } from './roster-uploads.http.controller';
import { ReportingEnvironment } from './reporting.environment';
import { UtilizationHttpController } from './utilization.http.controller';
import { VISIT_EVENTS_CONSUMER_GROUP, VisitEventsMessageController } from './visit-events.message.controller';

@Module({})
export class ReportingAppModule {
  static register(env: Environment): DynamicModule {
    const eligibility = EligibilityModule.registerAsync({
      inject: [ReportingEnvironment],
      useFactory: (config: ReportingEnvironment) => ({ productLinesFile: config.PRODUCT_LINES_FILE, x12MappingFile: config.X12_834_MAPPING_FILE }),
    });
    return {
      module: ReportingAppModule,
      imports: [
        PlatformModule.forService(ReportingEnvironment, env, { produces: Object.values(UtilizationRecordedV1Events) }),
        eligibility,
        AttributionModule.registerAsync({
          imports: [eligibility],
          inject: [ReportingEnvironment],
          useFactory: (config: ReportingEnvironment) => ({
            planPartnerPlans: parsePlanPartnerPlans(config.ATTRIBUTION_PLAN_PARTNERS),
            communityShares: parseCommunityShares(config.COMMUNITY_SHARES),
            lookbackDays: config.ATTRIBUTION_LOOKBACK_DAYS,
            conflictPrecedence: parseConflictPrecedence(config.ATTRIBUTION_CONFLICT_PRECEDENCE),
          }),
          schedule: (config: ReportingEnvironment) => ({ sweepSeconds: config.REATTRIBUTION_SWEEP_SECONDS }),
          fhirPseudonymKey: (config: ReportingEnvironment) => config.FHIR_PSEUDONYM_KEY,
          fhirCanonicalBase: (config: ReportingEnvironment) => config.FHIR_CANONICAL_BASE,
        }),
      ],
      controllers: [
        UtilizationHttpController,
        EligibilityHttpController,
        FhirExportHttpController,
        FhirConformanceHttpController,
        OperationsHttpController,
        AttributionConflictsHttpController,
        RosterUploadsHttpController,
        VisitEventsMessageController,
      ],
      providers: [
        VISIT_EVENTS_CONSUMER_GROUP,
        {
          provide: DashboardStreamHub,
          inject: [DashboardSummaryUseCase, DashboardChanges, ReportingEnvironment, MetricsRegistry],
          useFactory: (summary: DashboardSummaryUseCase, changes: DashboardChanges, config: ReportingEnvironment, registry: MetricsRegistry) => {
            const hub = new DashboardStreamHub(
              (from, to) => summary.execute(from, to),
              (listener) => changes.subscribe(listener),
              {
                perCredential: config.DASHBOARD_STREAMS_PER_CREDENTIAL,
                total: config.DASHBOARD_STREAMS_TOTAL,
              },
            );
            new Gauge({
              name: 'crc_dashboard_streams_open',
              help: 'Live dashboard streams open on this instance (refused beyond DASHBOARD_STREAMS_TOTAL).',
              registers: [registry],
              collect() {
                this.set(hub.open);
              },
            });
            return hub;
          },
        },
      ],
    };
  }
}

export const REPORTING_SERVICE: ServiceDefinition = {
  name: 'reporting',
  rootModule: (env) => ReportingAppModule.register(env),
  description: {
    title: 'CRC reporting service',
    description:
      'Attributes every visit to a partner plan and serves the plans their utilization feeds and eligibility-roster uploads. ' +
      'Partner tokens see their own plan only. Errors have the shape `{ "error": { "code", "message", "details" } }`, except under ' +
      '`/v1/partners/{plan}/fhir`, where they are FHIR OperationOutcome resources with the same code (docs/fhir-export.md).',
    version: '1.0.0',
    tags: {
      'utilization feed': "A plan's own utilization feed (JSON, NDJSON, CSV), its monthly summary and its disclosure ledger.",
      eligibility: "A plan's eligibility roster uploads (NDJSON or CSV).",
      'FHIR bulk export': 'The utilization feed as FHIR R4 resources, through the FHIR Bulk Data flow.',
      operations: "The centers' own staff: exact dashboard figures, the attribution review queue, the roster upload audit, quarantined services.",
    },
  },
  options: {
    streamingContentTypes: [...Object.keys(ROSTER_CONTENT_TYPES), ...X12_CONTENT_TYPES],
    // OperationOutcome under the FHIR base, citing the api-error code system under the deployment's canonical base.
    errorFormats: (app) => [fhirErrorFormat(app.get(FhirDefinitions).canonicals.apiError)],
  },
};
