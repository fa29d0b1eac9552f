import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiErrorResponse } from '@crc/contracts';
import { Environment } from '../config/environment';
import { ServiceEnvironment } from '../config/service-environment';
import { ApiExceptionFilter } from './api-exception.filter';
import { observeHttp } from './http-observability';
import { createValidationPipe } from './validation.pipe';

export interface ServiceDescription {
  title: string;
  description: string;
  version: string;
}

export interface ServiceAppOptions {
  /** Listen for SIGTERM/SIGINT and shut down gracefully; off when several apps share a process (tests). */
  shutdownHooks?: boolean;
  bodyLimitBytes?: number;
  /** Content types whose bodies reach the handler as a stream (large uploads), e.g. `text/csv`. */
  streamingContentTypes?: string[];
}

/**
 * Builds a service the same way everywhere: Fastify, the pino logger, one error shape, strict
 * validation, request metrics and trace context, and its OpenAPI document at `/docs` and `/docs-json`.
 */
export async function createServiceApp(
  rootModule: Type<unknown> | DynamicModule,
  description: ServiceDescription,
  options: ServiceAppOptions = {},
): Promise<NestFastifyApplication> {
  // forceCloseConnections: long-lived streams (the dashboard's) must not hold up a shutdown.
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: false, forceCloseConnections: true });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Nest routes Fastify's own errors (bad JSON, wrong content type, too large) through the
  // global filters too, so every failure gets the one error shape.
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  observeHttp(app);
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only (NDJSON and CSV routes register their own parsers): anything else is a 415.
  fastify.removeContentTypeParser(['text/plain']);
  if (options.streamingContentTypes?.length) {
    fastify.addContentTypeParser(options.streamingContentTypes, (_request, payload, done) => done(null, payload));
  }
  if (options.shutdownHooks) app.enableShutdownHooks();
  setUpOpenApi(app, description);
  return app;
}

function setUpOpenApi(app: INestApplication, description: ServiceDescription): void {
  const config = new DocumentBuilder()
    .setTitle(description.title)
    .setDescription(description.description)
    .setVersion(description.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A kiosk, staff, partner or operations token.' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorResponse] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** What a service is: enough for its `main.ts`, the start command and the tests to run it alike. */
export interface ServiceDefinition {
  name: string;
  description: ServiceDescription;
  rootModule: (env: Environment) => DynamicModule;
  options?: ServiceAppOptions;
}

/** Creates the service from an environment and listens on its configured host and port. */
export async function startService(
  definition: ServiceDefinition,
  env: Environment,
  overrides: ServiceAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createServiceApp(definition.rootModule(env), definition.description, { ...definition.options, ...overrides });
  const config = app.get(ServiceEnvironment);
  await app.listen(config.PORT, config.HOST);
  return app;
}

/** The body of every `main.ts`. */
export function runServiceMain(definition: ServiceDefinition): void {
  startService(definition, process.env, { shutdownHooks: true }).catch((error: unknown) => {
    // Configuration errors are written for people: print them plainly.
    console.error(`${definition.name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
