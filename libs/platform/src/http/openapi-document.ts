import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorResponse } from '@crc/contracts';
import type { Environment } from '../config/environment';

export interface ServiceDescription {
  title: string;
  description: string;
  version: string;
  /** Every tag the service's operations use, with what it groups (the document refuses an undescribed tag). */
  tags: Record<string, string>;
}

/** Tags of the routes every service has (platform controllers). */
const PLATFORM_TAGS: Record<string, string> = {
  health: 'Whether the service can do its work: the store, Kafka and, for consumers, their catch-up.',
};

/** Serves the document at `/docs` (Swagger UI), `/docs-json` and `/docs-yaml`. */
export function setUpOpenApi(app: INestApplication, description: ServiceDescription): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, description), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/**
 * The service's OpenAPI document, as `/docs-json` serves it. The same function builds it for the
 * served document and for the offline checks (Spectral), so what is checked is what is served.
 */
export function buildOpenApiDocument(app: INestApplication, description: ServiceDescription): OpenAPIObject {
  const tags = { ...PLATFORM_TAGS, ...description.tags };
  const builder = new DocumentBuilder()
    .setTitle(description.title)
    .setDescription(description.description)
    .setVersion(description.version)
    // Relative: the service that serves this document (behind a proxy, wherever it is published).
    .addServer('/', 'This service, where this document is served')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A kiosk, staff, partner or operations token.' }, 'bearer');
  for (const [name, text] of Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))) builder.addTag(name, text);
  const config = builder.build();
  config.info.contact = { name: 'CRC network operations, L.A. Care / Blue Shield Promise Community Resource Centers' };
  const document = documentCommonErrors(SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorResponse] }));
  assertTagsDescribed(document, tags);
  return document;
}

/**
 * Builds a service's document without starting it: Nest's preview mode reads the modules and
 * controllers without creating any provider, so nothing connects to the store or Kafka.
 */
export async function exportOpenApiDocument(
  definition: { rootModule: (env: Environment) => DynamicModule | Type<unknown>; description: ServiceDescription },
  env: Environment = { NODE_ENV: 'development' },
): Promise<OpenAPIObject> {
  const app = await NestFactory.create(definition.rootModule(env), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app, definition.description);
  } finally {
    await app.close();
  }
}

/** Failures any route can answer with, whatever its own documentation lists. */
const COMMON_ERRORS: Record<string, string> = {
  '400': 'The request is not valid (`REQUEST.VALIDATION_FAILED` naming each field, `REQUEST.INVALID_JSON`, `REQUEST.FORBIDDEN_KEY`, ...).',
  '401': '`AUTH.UNAUTHENTICATED`: no or unknown bearer token.',
  '403': 'The credential may not do this (`AUTH.ROLE_NOT_ALLOWED`, `AUTH.WRONG_CENTER`, `AUTH.WRONG_PLAN`).',
  '413': '`REQUEST.TOO_LARGE`.',
  '415': '`REQUEST.UNSUPPORTED_MEDIA_TYPE`, or `REQUEST.UNSUPPORTED_CHARSET` (a body declared in a charset other than UTF-8).',
  '429': '`REQUEST.RATE_LIMITED`, with `Retry-After`.',
  '500': '`INTERNAL`, with an `errorId` to quote to support.',
  '503':
    'A dependency is unavailable; retry later. `SERVER.STORE_UNAVAILABLE` (the store could not be reached, or the outcome of a write is unknown) comes with `Retry-After`: retry with the same `Idempotency-Key`. `SERVER.BUSY` (more writes are waiting for the store than it takes in time; nothing was written) comes with `Retry-After` too.',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } };

/** Adds the common error answers, in the one error shape, to every operation of the document. */
function documentCommonErrors(document: OpenAPIObject): OpenAPIObject {
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorResponse' } } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, unknown>; security?: unknown }>)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = (operation.responses ??= {});
      const codes = { ...COMMON_ERRORS, ...(path.includes('{') ? { '404': 'No such resource (the code names it).' } : {}) };
      for (const [status, description] of Object.entries(codes)) {
        if (path === '/health' && status !== '503' && status !== '500') continue;
        if (!responses[status])
          responses[status] = { description, content: errorContent, ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}) };
      }
    }
  }
  return document;
}

function assertTagsDescribed(document: OpenAPIObject, tags: Record<string, string>): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item as Record<string, { tags?: string[] }>)) {
      for (const tag of operation?.tags ?? []) {
        if (!(tag in tags)) throw new Error(`OpenAPI: the tag "${tag}" of ${path} has no description in the service's description`);
      }
    }
  }
}
