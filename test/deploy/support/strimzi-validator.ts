import Ajv, { ValidateFunction } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeError } from './compose-validator';

interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }>;
  };
}

type Schema = Record<string, unknown>;

/**
 * A CRD's structural schema as strict JSON Schema: the API server prunes (or, validating strictly,
 * refuses) fields a schema does not declare, unless it says `x-kubernetes-preserve-unknown-fields`;
 * here every such object gets `additionalProperties: false`, so a misspelled field is an error.
 */
export function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(
    Object.entries(node as Schema).map(([k, v]) => [k, k === 'properties' ? mapValues(v as Schema, strictSchema) : strictSchema(v)]),
  ) as Schema;
  if (schema['x-kubernetes-int-or-string'] === true && !schema.type) schema.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (schema.type === 'object' && schema.properties && schema['x-kubernetes-preserve-unknown-fields'] !== true && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  return schema;
}

function mapValues(object: Schema, map: (value: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, map(v)]));
}

/**
 * Validates Strimzi's custom resources against the CRDs generated from its Java model (see
 * deploy-tools.ts). `metadata` is left to the Kubernetes validator: CRDs describe it as any object.
 */
export class StrimziValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdDir: string) {
    // OpenAPI's `nullable` and Kubernetes' `x-kubernetes-*` extensions are not JSON Schema keywords.
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
      for (const document of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
        const crd = document.toJS() as Crd;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions.filter((v) => v.served)) {
          this.validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(strictSchema(version.schema.openAPIV3Schema) as object));
        }
      }
    }
  }

  get kinds(): string[] {
    return [...this.validators.keys()];
  }

  validate(object: { apiVersion: string; kind: string }): string[] {
    const validate = this.validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validate) return [`Strimzi ${object.apiVersion} has no kind ${object.kind}`];
    return validate(object) ? [] : (validate.errors ?? []).map(describeError);
  }
}
