import { ATTRIBUTED_PLANS, ATTRIBUTION_BASES, ATTRIBUTION_FLAGS, UtilizationRecord, VISIT_PURPOSES } from '@crc/contracts';
import { fhirR4Problems } from '@crc/testing';
import { DEFAULT_FHIR_CANONICAL_BASE, FhirDefinitionNotFoundError, FhirDefinitions } from './fhir-definitions';
import { FhirPseudonyms, toFhirEncounter } from './fhir-mapping';

type Resource = Record<string, any>;
/** A deployment's own canonical base, as FHIR_CANONICAL_BASE sets it. */
const CANONICAL_BASE = 'https://fhir.partners.crc.test/canonical';
const definitions = new FhirDefinitions(CANONICAL_BASE);
const FHIR_CANONICALS = definitions.canonicals;
const byUrl = new Map(definitions.all().map((r) => [r.url as string, r as Resource]));
const codesOf = (system: string) => (byUrl.get(system)?.concept ?? []).map((c: { code: string }) => c.code);

const record: UtilizationRecord = {
  recordId: 'v:2',
  visitId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  revision: 2,
  supersedes: 'v:1',
  status: 'ACTIVE',
  centerId: 'crc-el-monte',
  serviceDate: '2026-11-28',
  plan: 'LA_CARE',
  basis: 'ELIGIBILITY',
  productLine: 'MEDI_CAL',
  planPartner: 'ANTHEM_BLUE_CROSS',
  flags: ['DUAL_COVERAGE_RESOLVED'],
  ruleVersion: 2,
  memberId: '12345678A',
  purposes: [...VISIT_PURPOSES],
  checkedInAt: '2026-11-28T17:00:00.000Z',
  checkedOutAt: '2026-11-28T18:00:00.000Z',
  publishedAt: '2026-11-28T18:00:01.000Z',
};

describe('the FHIR definitions the network publishes', () => {
  it('are valid R4 conformance resources, each at <canonical base>/<type>/<id>, with a narrative', () => {
    const all = definitions.all() as Resource[];
    expect(all.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(
      [
        ...['visit-purpose', 'plan', 'attribution-basis', 'attribution-flag', 'api-error'].flatMap((id) => [`CodeSystem/${id}`, `ValueSet/${id}`]),
        'StructureDefinition/attribution',
        'StructureDefinition/encounter-coverage',
      ].sort(),
    );
    for (const resource of all) {
      expect([resource.url, fhirR4Problems(resource)]).toEqual([`${CANONICAL_BASE}/${resource.resourceType}/${resource.id}`, []]);
      expect(resource.text.div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">.+<\/div>$/);
      expect(resource).toMatchObject({ status: 'active', version: expect.any(String), name: expect.stringMatching(/^[A-Z][A-Za-z0-9]*$/) });
    }
  });

  it('define every code the export can write, and nothing the contracts do not know', () => {
    expect(codesOf(FHIR_CANONICALS.visitPurpose)).toEqual([...VISIT_PURPOSES]);
    expect(codesOf(FHIR_CANONICALS.plan)).toEqual([...ATTRIBUTED_PLANS]);
    expect(codesOf(FHIR_CANONICALS.attributionBasis)).toEqual([...ATTRIBUTION_BASES]);
    expect(codesOf(FHIR_CANONICALS.attributionFlag)).toEqual([...ATTRIBUTION_FLAGS]);
    for (const system of [FHIR_CANONICALS.visitPurpose, FHIR_CANONICALS.apiError]) {
      const codeSystem = byUrl.get(system)!;
      expect(codeSystem).toMatchObject({ content: 'complete', count: codeSystem.concept.length });
      // Each code system has its ValueSet of all codes, which the bindings use.
      expect(byUrl.get(codeSystem.valueSet)?.compose).toEqual({ include: [{ system }] });
    }
  });

  it("describe the Encounter's extensions exactly as the export writes them: each part, its type and its binding", () => {
    const encounter = toFhirEncounter(
      record,
      'LA_CARE',
      'El Monte',
      new FhirPseudonyms('a-test-key-of-at-least-thirty-two-characters'),
      FHIR_CANONICALS,
    ) as Resource;
    const attribution = encounter.extension.find((e: Resource) => e.url === FHIR_CANONICALS.attribution);
    const definition = byUrl.get(FHIR_CANONICALS.attribution)!;
    const element = (id: string) => definition.differential.element.find((e: Resource) => e.id === id);
    expect(element('Extension.url').fixedUri).toBe(definition.url);
    expect(definition.context).toEqual([{ type: 'element', expression: 'Encounter' }]);
    const written = attribution.extension as Array<Record<string, unknown>>;
    expect(new Set(written.map((part) => part.url))).toEqual(new Set(['plan', 'basis', 'ruleVersion', 'productLine', 'planPartner', 'supersedes', 'flag']));
    for (const part of written) {
      const slice = `Extension.extension:${part.url as string}`;
      expect(element(`${slice}.url`).fixedUri).toBe(part.url);
      const [valueKey, value] = Object.entries(part).find(([key]) => key.startsWith('value'))!;
      const type = element(`${slice}.value[x]`).type[0].code as string;
      expect(valueKey).toBe(`value${type[0].toUpperCase()}${type.slice(1)}`);
      const valueSet = element(`${slice}.value[x]`).binding?.valueSet;
      // A bound code is one of the code system that its ValueSet includes.
      if (valueSet) expect(codesOf(byUrl.get(valueSet)!.compose.include[0].system)).toContain(value);
    }
    const coverage = byUrl.get(FHIR_CANONICALS.encounterCoverage)!;
    expect(encounter.extension.map((e: Resource) => e.url)).toEqual([FHIR_CANONICALS.attribution, FHIR_CANONICALS.encounterCoverage]);
    expect(coverage.differential.element.find((e: Resource) => e.id === 'Extension.value[x]').type).toEqual([
      { code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Coverage'] },
    ]);
    // Encounter.type codes come from the published visit-purpose code system, with its displays.
    for (const type of encounter.type) {
      const [coding] = type.coding;
      expect(coding.system).toBe(FHIR_CANONICALS.visitPurpose);
      expect(byUrl.get(coding.system)!.concept.find((c: Resource) => c.code === coding.code).display).toBe(coding.display);
    }
  });

  it('are read by type and id, or listed as a search Bundle (by canonical url too); anything else is not found', () => {
    expect(definitions.definition('CodeSystem', 'visit-purpose').url).toBe(FHIR_CANONICALS.visitPurpose);
    // What is served is a copy: a caller cannot change the next answer.
    definitions.definition('CodeSystem', 'visit-purpose').url = 'changed';
    expect(definitions.definition('CodeSystem', 'visit-purpose').url).toBe(FHIR_CANONICALS.visitPurpose);
    expect(() => definitions.definition('CodeSystem', 'nope')).toThrow(FhirDefinitionNotFoundError);
    expect(() => definitions.definition('Patient', 'visit-purpose')).toThrow(FhirDefinitionNotFoundError);

    const base = 'https://partners.crc.test/v1/partners/LA_CARE/fhir';
    const all = definitions.search(base, 'StructureDefinition') as Resource;
    expect(fhirR4Problems(all)).toEqual([]);
    expect(all.entry.map((e: Resource) => e.resource.fhirVersion)).toEqual(['4.0.1', '4.0.1']);
    expect(all).toMatchObject({ type: 'searchset', total: 2 });
    expect(all.entry.map((e: Resource) => e.fullUrl)).toEqual([`${base}/StructureDefinition/attribution`, `${base}/StructureDefinition/encounter-coverage`]);
    const one = definitions.search(base, 'CodeSystem', FHIR_CANONICALS.plan) as Resource;
    expect(one.entry.map((e: Resource) => e.resource.id)).toEqual(['plan']);
    expect(definitions.search(base, 'CodeSystem', 'https://elsewhere.example/CodeSystem/plan')).toMatchObject({ total: 0, entry: [] });
    expect(() => definitions.search(base, 'Encounter')).toThrow(FhirDefinitionNotFoundError);
  });

  it('carry no other canonical base than the configured one: every reference among them is under it', () => {
    const text = JSON.stringify(definitions.all());
    expect(text).not.toContain(DEFAULT_FHIR_CANONICAL_BASE);
    const ours = [...text.matchAll(/https:\/\/[^"\s<]+?\/(CodeSystem|ValueSet|StructureDefinition)\/[a-z-]+/g)].map((m) => m[0]);
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter((url) => !url.startsWith(`${CANONICAL_BASE}/`) && !url.startsWith('http://hl7.org/fhir/'))).toEqual([]);
    // Left unset, the placeholder base of local runs.
    expect(new FhirDefinitions().definition('CodeSystem', 'plan').url).toBe(`${DEFAULT_FHIR_CANONICAL_BASE}/CodeSystem/plan`);
  });
});
