import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  user?: string;
  read_only?: boolean;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  profiles?: string[];
}

/**
 * Reads a compose file as `docker compose` does: YAML 1.1 merge keys (`<<: *service`) resolved.
 * Interpolation (`${VAR}`) is not done: our file uses none, and a test makes sure it stays so.
 */
export function readComposeFile(path: string): { text: string; document: ComposeFile } {
  const text = readFileSync(path, 'utf8');
  return { text, document: parse(text, { merge: true }) as ComposeFile };
}

/**
 * Validates against the Compose Specification's JSON schema (vendored in ../schemas), which
 * refuses unknown fields everywhere except `x-` extensions. `strict: false`: the schema uses
 * annotations (`deprecated`, ...) that Ajv's strict mode would reject as unknown keywords.
 */
export function composeSchemaValidator(): (document: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'compose-spec.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map(describeError));
}

export function describeError(error: ErrorObject): string {
  const unknown =
    (error.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ??
    (error.params as { additionalProperty?: string }).additionalProperty;
  return unknown ? `${error.instancePath || '/'}: unknown field "${unknown}"` : `${error.instancePath || '/'}: ${error.message ?? error.keyword}`;
}
