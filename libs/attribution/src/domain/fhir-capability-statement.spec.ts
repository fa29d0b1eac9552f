import { fhirR4Problems } from '@crc/testing';
import { BULK_DATA_CAPABILITY_STATEMENT, BULK_DATA_EXPORT_OPERATION, capabilityStatement } from './fhir-capability-statement';

type Resource = Record<string, any>;

describe("the FHIR endpoint's CapabilityStatement", () => {
  const base = 'https://partners.crc.test/v1/partners/BLUE_SHIELD_PROMISE/fhir';
  const canonicalBase = 'https://fhir.partners.crc.test/canonical';
  const statement = capabilityStatement(base, 'BLUE_SHIELD_PROMISE', canonicalBase) as Resource;

  it('is an R4 instance statement of a Bulk Data server at this base', () => {
    expect(fhirR4Problems(statement)).toEqual([]);
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      instantiates: [BULK_DATA_CAPABILITY_STATEMENT],
      implementation: { url: base },
      url: `${canonicalBase}/CapabilityStatement/bulk-data`,
    });
    expect(statement.text.div).toContain(`canonical base ${canonicalBase}`);
    expect(statement.rest[0].operation).toEqual([expect.objectContaining({ name: 'export', definition: BULK_DATA_EXPORT_OPERATION })]);
  });

  it('says how to authenticate, and lists the exported types and the readable definitions', () => {
    const rest = statement.rest[0];
    expect(rest.security.description).toMatch(/Bearer/);
    expect(rest.security.description).toMatch(/own plan only/);
    const byType = Object.fromEntries(rest.resource.map((r: Resource) => [r.type, (r.interaction ?? []).map((i: Resource) => i.code)]));
    expect(byType).toEqual({
      Encounter: [],
      Patient: [],
      Coverage: [],
      CodeSystem: ['read', 'search-type'],
      ValueSet: ['read', 'search-type'],
      StructureDefinition: ['read', 'search-type'],
    });
  });
});
