import { PartnerPlan } from '@crc/contracts';
import { FHIR_DEFINITION_TYPES, FHIR_DEFINITIONS_VERSION } from './fhir-definitions';
import { FHIR_TYPES } from './fhir-mapping';
import { narrative, paragraph, table } from './fhir-narrative';

/** The Bulk Data Access IG's CapabilityStatement, which the export follows (system-level kick-off). */
export const BULK_DATA_CAPABILITY_STATEMENT = 'http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data';
export const BULK_DATA_EXPORT_OPERATION = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export';

const SECURITY =
  'Every request except metadata and the published definitions (CodeSystem, ValueSet, StructureDefinition) carries ' +
  'an `Authorization` header of the Bearer scheme with a partner credential the CRC network issues to each plan (no OAuth or SMART Backend ' +
  "Services token endpoint). A partner credential reads its own plan only: another plan's path is refused (403) and another " +
  "plan's export is not found (404). Export files are fetched with the same token (requiresAccessToken: true).";

/**
 * What a plan's FHIR client finds at `…/fhir/metadata`: this endpoint is a Bulk Data server for
 * one plan's utilization feed (system-level `$export` of Encounter, Patient and Coverage), with the
 * network's definitions readable beside it. `fhirBase` is the endpoint's absolute base URL;
 * `canonicalBase` that of the definitions' canonical URLs (FHIR_CANONICAL_BASE).
 */
export function capabilityStatement(fhirBase: string, plan: PartnerPlan, canonicalBase: string): Record<string, unknown> {
  const definitionResources = FHIR_DEFINITION_TYPES.map((type) => ({
    type,
    documentation: `The network's ${type} resources, read by id or listed (optionally by canonical url).`,
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [{ name: 'url', type: 'uri', documentation: 'The canonical URL of the definition.' }],
  }));
  const exportedResources = FHIR_TYPES.map((type) => ({
    type,
    documentation: 'Exported through $export only (one NDJSON file per type); not readable one by one.',
  }));
  return {
    resourceType: 'CapabilityStatement',
    text: narrative(
      paragraph(`FHIR Bulk Data export of the ${plan} utilization feed of the Community Resource Centers, at ${fhirBase}.`),
      table(
        ['Interaction', 'How'],
        [
          ['Kick-off', 'GET [base]/$export (_type: Encounter, Patient, Coverage; _since)'],
          ['Status', 'GET the Content-Location of the kick-off: the manifest (exports complete at once)'],
          ['Cancel', 'DELETE the Content-Location: 202, then 404'],
          ['Files', 'GET each output url of the manifest (application/fhir+ndjson), with the same token'],
          ['Definitions', `GET [base]/CodeSystem/[id], ValueSet/[id], StructureDefinition/[id] (canonical base ${canonicalBase})`],
        ],
      ),
      paragraph(SECURITY),
    ),
    url: `${canonicalBase}/CapabilityStatement/bulk-data`,
    version: FHIR_DEFINITIONS_VERSION,
    name: 'CrcNetworkBulkData',
    title: 'CRC network utilization feed, FHIR Bulk Data',
    status: 'active',
    experimental: false,
    date: '2026-12-01',
    publisher: 'CRC network (L.A. Care Health Plan and Blue Shield of California Promise Health Plan Community Resource Centers)',
    description: `The utilization feed of ${plan} as a FHIR Bulk Data export: one Encounter per visit, with the Patient and Coverage resources it references (pseudonymous ids).`,
    kind: 'instance',
    instantiates: [BULK_DATA_CAPABILITY_STATEMENT],
    software: { name: 'CRC network reporting service' },
    implementation: { description: `Utilization feed of ${plan}`, url: fhirBase },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Bulk Data Access (system-level $export); errors are OperationOutcome resources (application/fhir+json).',
        security: { description: SECURITY },
        resource: [...exportedResources, ...definitionResources],
        operation: [
          { name: 'export', definition: BULK_DATA_EXPORT_OPERATION, documentation: 'Kick-off with Prefer: respond-async; answers 202 with Content-Location.' },
        ],
      },
    ],
  };
}
