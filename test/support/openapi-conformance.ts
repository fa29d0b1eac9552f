import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { HttpExchange, ServerSentEvent } from '@crc/testing';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
  'x-line-schema'?: Schema;
  /** text/event-stream: each event as `{ event, data }`, its data read as JSON (see checkEvent). */
  'x-event-schema'?: Schema;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/**
 * Routes left out of the documents on purpose: infrastructure, not API (Kubernetes' probes,
 * Prometheus, the documents themselves, the dashboard's HTML page).
 */
const UNDOCUMENTED_BY_DESIGN = [/^\/health\/(live|ready)$/, /^\/metrics$/, /^\/docs(-json|-yaml|\/.*)?$/, /^\/dashboard$/];

/**
 * Response headers that are part of the API: when a response carries one, the document must
 * declare it for that operation and status. (Transport and security headers are not checked.)
 */
const API_HEADERS = ['location', 'content-location', 'idempotent-replayed', 'x-next-cursor', 'x-has-more', 'link', 'retry-after', 'expires'];

class ContractViolation extends Error {}

/**
 * Holds every response an end-to-end test receives to the service's own OpenAPI document, as
 * `/docs-json` serves it: the route and method must be documented, the status listed, the content
 * type one the status names, the body valid against that media type's schema (objects closed:
 * a property the document does not list is a violation), NDJSON line by line, CSV by its
 * documented header row, server-sent events one by one, and every API header declared.
 */
export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Array<{ template: string; pattern: RegExp; parameters: number }>;
  constructor(
    readonly service: string,
    private readonly document: OpenApiDocument,
    /** Every violation seen, also those a test caught: the test system fails on them at close. */
    readonly violations: string[] = [],
  ) {
    this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(closeObjects(structuredClone(document)) as Schema, 'openapi');
    this.routes = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template
          .split(/\{[^}]+\}/)
          .map(escapeRegExp)
          .join('[^/]+')}$`,
      ),
      parameters: (template.match(/\{/g) ?? []).length,
    }));
  }

  /** Throws (and keeps) a violation when the exchange is not as the document says. */
  check(exchange: HttpExchange): void {
    const problems = this.problemsOf(exchange);
    if (problems.length === 0) return;
    const message = `${this.service}: ${exchange.method} ${exchange.path} answered ${exchange.status}, not as its OpenAPI document says:\n  ${problems.join('\n  ')}`;
    this.violations.push(message);
    throw new ContractViolation(message);
  }

  /**
   * Throws (and keeps) a violation when an event of a stream is not as the document says: the
   * stream's media type names an `x-event-schema`, and the event, `{ event, data }` with its data
   * read as JSON (and `id` or `retry` when sent), is valid against it.
   */
  checkEvent(exchange: HttpExchange, event: ServerSentEvent): void {
    const problems = this.eventProblemsOf(exchange, event);
    if (problems.length === 0) return;
    const message = `${this.service}: an event of ${exchange.method} ${exchange.path} is not as its OpenAPI document says:\n  ${problems.join('\n  ')}`;
    this.violations.push(message);
    throw new ContractViolation(message);
  }

  private eventProblemsOf(exchange: HttpExchange, event: ServerSentEvent): string[] {
    const found = this.documentedResponse(exchange);
    if ('problems' in found) return found.problems;
    const { route, method, documented } = found;
    const contentType = (exchange.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const media = documented.content?.[contentType];
    if (contentType !== 'text/event-stream' || !media) return [`${contentType || '(no content type)'} is not a documented event stream`];
    const pointer = `#/paths/${escapePointer(route.template)}/${method}/responses/${exchange.status}/content/${escapePointer(contentType)}/x-event-schema`;
    return this.validate(pointer, media['x-event-schema'], { ...event, data: parseJson(event.data) }, `${method} ${route.template} event ${event.event}`);
  }

  /** The operation and documented response an exchange falls under, or why there is none. */
  private documentedResponse(
    exchange: HttpExchange,
  ): { route: { template: string }; method: string; operation: Operation; documented: ResponseObject } | { problems: string[] } {
    const path = exchange.path.split('?')[0];
    const method = exchange.method.toLowerCase();
    // The most literal template wins: `/wifi-sessions/heartbeats` before `/wifi-sessions/{sessionId}`.
    const route = this.routes
      .filter((r) => r.pattern.test(decodeURI(path)) && this.document.paths[r.template][method])
      .sort((a, b) => a.parameters - b.parameters)[0];
    if (!route) return { problems: [`no documented operation ${method.toUpperCase()} matches ${path}`] };
    const operation = this.document.paths[route.template][method];
    const documented = operation.responses[String(exchange.status)] ?? operation.responses.default;
    if (!documented)
      return {
        problems: [
          `status ${exchange.status} is not documented for ${method.toUpperCase()} ${route.template} (documented: ${Object.keys(operation.responses).join(', ')})`,
        ],
      };
    return { route, method, operation, documented };
  }

  private problemsOf(exchange: HttpExchange): string[] {
    const path = exchange.path.split('?')[0];
    if (UNDOCUMENTED_BY_DESIGN.some((p) => p.test(path))) return [];
    const found = this.documentedResponse(exchange);
    if ('problems' in found) return found.problems;
    const { route, method, documented } = found;

    const problems: string[] = [];
    const declaredHeaders = Object.keys(documented.headers ?? {}).map((h) => h.toLowerCase());
    for (const header of API_HEADERS) {
      if (exchange.headers.has(header) && !declaredHeaders.includes(header)) problems.push(`header ${header} is sent but not documented`);
    }

    const contentType = (exchange.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const where = `${method} ${route.template} ${exchange.status}`;
    if (!documented.content) {
      if (exchange.text.length > 0) problems.push(`a body (${contentType || 'no content type'}) is sent where the document declares none`);
      return problems;
    }
    if (exchange.text.length === 0 && !contentType) return problems;
    const media = documented.content[contentType];
    if (!media) return [...problems, `content type ${contentType || '(none)'} is not documented (documented: ${Object.keys(documented.content).join(', ')})`];
    const pointer = `#/paths/${escapePointer(route.template)}/${method}/responses/${exchange.status}/content/${escapePointer(contentType)}`;
    if (/^application\/([\w.-]+\+)?json$/.test(contentType)) {
      problems.push(...this.validate(`${pointer}/schema`, media.schema, parseJson(exchange.text), where));
    } else if (/ndjson$/.test(contentType)) {
      problems.push(...this.validate(`${pointer}/schema`, media.schema, exchange.text, where));
      const lines = exchange.text.split('\n').filter((line) => line.length > 0);
      if (!media['x-line-schema']) problems.push(`${contentType} lines have no documented schema (x-line-schema)`);
      else
        lines.forEach((line, i) =>
          problems.push(...this.validate(`${pointer}/x-line-schema`, media['x-line-schema'], parseJson(line), `${where} line ${i + 1}`)),
        );
    } else if (contentType === 'text/event-stream') {
      // The body is its events, checked one by one as they come (checkEvent); here, that they are documented.
      problems.push(...this.validate(`${pointer}/schema`, media.schema, exchange.text, where));
      if (!media['x-event-schema']) problems.push('text/event-stream events have no documented schema (x-event-schema)');
    } else if (contentType === 'text/csv') {
      problems.push(...this.validate(`${pointer}/schema`, media.schema, exchange.text, where));
      const columns = (media.schema?.['x-csv-columns'] as string[] | undefined) ?? [];
      const header = exchange.text.split('\r\n')[0];
      if (columns.length === 0) problems.push('text/csv has no documented columns (x-csv-columns)');
      else if (header !== columns.join(','))
        problems.push(`CSV header row ${JSON.stringify(header)} is not the documented columns ${JSON.stringify(columns.join(','))}`);
    } else {
      problems.push(...this.validate(`${pointer}/schema`, media.schema, exchange.text, where));
    }
    return problems;
  }

  private validate(pointer: string, schema: Schema | undefined, value: unknown, where: string): string[] {
    if (!schema) return [`${where}: no schema documented`];
    let validator = this.validators.get(pointer);
    if (!validator) {
      validator = this.ajv.compile({ $ref: `openapi${pointer}` });
      this.validators.set(pointer, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map(
      (e) => `${where}: body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { notJson: text.slice(0, 200) };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JSON pointer segment, as it goes into a `$ref`'s URI fragment. */
function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/**
 * OpenAPI leaves objects open unless told otherwise; a response property the document does not
 * list is drift all the same, so the tests read every listed-properties object as closed.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const object = node as Schema;
  for (const [key, value] of Object.entries(object)) {
    // `example`s are data, not schemas.
    if (key !== 'example' && key !== 'examples') object[key] = closeObjects(value);
  }
  if (object.properties && typeof object.properties === 'object' && !('additionalProperties' in object) && !object.allOf && !object.oneOf && !object.anyOf) {
    object.additionalProperties = false;
  }
  return object;
}
