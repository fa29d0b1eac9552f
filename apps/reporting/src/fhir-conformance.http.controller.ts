import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { capabilityStatement, FHIR_DEFINITION_TYPES, FhirDefinitions } from '@crc/attribution';
import { PARTNER_PLANS } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { Public } from '@crc/platform';
import { ApiFhirErrors, FHIR_JSON } from './fhir-responses';
import { PartnerPlanPipe } from './partner-plan.pipe';
import { ReportingEnvironment } from './reporting.environment';

const fhirResource = (description: string) => ({ description, content: { [FHIR_JSON]: { schema: { type: 'object' as const, additionalProperties: true } } } });

/**
 * What a plan's FHIR tooling reads before (or without) a token: the CapabilityStatement and the
 * network's CodeSystems, ValueSets and StructureDefinitions. They describe the export and say
 * nothing about anyone, so they are public, and the same for both plans but for their base URL.
 */
@ApiTags('FHIR bulk export')
@ApiParam({ name: 'plan', enum: PARTNER_PLANS })
@ApiFhirErrors({ except: [401, 403, 429] })
@Controller('v1/partners/:plan/fhir')
export class FhirConformanceHttpController {
  private readonly baseUrl: string;

  constructor(
    config: ReportingEnvironment,
    private readonly definitions: FhirDefinitions,
  ) {
    this.baseUrl = config.publicBaseUrl;
  }

  @Get('metadata')
  @Public()
  @ApiOperation({
    summary: "The endpoint's CapabilityStatement (FHIR R4, kind instance)",
    description: 'Instantiates the Bulk Data Access IG; lists $export, the definitions readable here and how to authenticate. No token needed.',
  })
  @ApiOkResponse(fhirResource('A CapabilityStatement.'))
  metadata(@Param('plan', PartnerPlanPipe) plan: PartnerPlan, @Res({ passthrough: true }) reply: FastifyReply): Record<string, unknown> {
    this.asPublicFhir(reply);
    return capabilityStatement(this.fhirBase(plan), plan, this.definitions.canonicalBase);
  }

  @Get(':definitionType')
  @Public()
  @ApiOperation({
    summary: "The network's definitions of one type, as a search Bundle",
    description: 'CodeSystem, ValueSet or StructureDefinition; `url` keeps the one with that canonical URL. No token needed.',
  })
  @ApiParam({ name: 'definitionType', enum: FHIR_DEFINITION_TYPES })
  @ApiQuery({ name: 'url', required: false, description: 'A canonical URL, e.g. `{FHIR_CANONICAL_BASE}/CodeSystem/visit-purpose`.' })
  @ApiOkResponse(fhirResource('A Bundle of type searchset.'))
  search(
    @Param('plan', PartnerPlanPipe) plan: PartnerPlan,
    @Param('definitionType') type: string,
    @Query('url') url: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Record<string, unknown> {
    const bundle = this.definitions.search(this.fhirBase(plan), type, url);
    this.asPublicFhir(reply);
    return bundle;
  }

  @Get(':definitionType/:id')
  @Public()
  @ApiOperation({
    summary: "One of the network's definitions: CodeSystem, ValueSet or StructureDefinition",
    description:
      "Its canonical URL is `{FHIR_CANONICAL_BASE}/<type>/<id>` (the deployment's canonical base, which the CapabilityStatement names), " +
      'as the exported resources use it. No token needed.',
  })
  @ApiParam({ name: 'definitionType', enum: FHIR_DEFINITION_TYPES })
  @ApiOkResponse(fhirResource('The CodeSystem, ValueSet or StructureDefinition.'))
  read(
    @Param('plan', PartnerPlanPipe) _plan: PartnerPlan,
    @Param('definitionType') type: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Record<string, unknown> {
    const definition = this.definitions.definition(type, id);
    this.asPublicFhir(reply);
    return definition;
  }

  private fhirBase(plan: PartnerPlan): string {
    return `${this.baseUrl}/v1/partners/${plan}/fhir`;
  }

  /** Conformance resources hold nothing about anyone: cacheable, unlike every other answer of the service. */
  private asPublicFhir(reply: FastifyReply): void {
    void reply.header('content-type', `${FHIR_JSON}; charset=utf-8`).header('cache-control', 'public, max-age=3600');
  }
}
