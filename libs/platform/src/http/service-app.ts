import { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { Environment } from '../config/environment';
import { ServiceEnvironment } from '../config/service-environment';
import { KafkaBatchTransport } from '../kafka/kafka-batch.transport';
import { UncommittedBatchFilter } from '../kafka/uncommitted-batch.filter';
import { ApiExceptionFilter, ErrorFormat } from './api-exception.filter';
import { assertUtf8Charset, parseStrictJson } from './strict-json';
import { observeHttp } from './http-observability';
import { ServiceDescription, setUpOpenApi } from './openapi-document';
import { createValidationPipe } from './validation.pipe';

export interface ServiceAppOptions {
  /** Listen for SIGTERM/SIGINT and shut down gracefully; off when several apps share a process (tests). */
  shutdownHooks?: boolean;
  bodyLimitBytes?: number;
  /** Content types whose bodies reach the handler as a stream (large uploads), e.g. `text/csv`. */
  streamingContentTypes?: string[];
  /**
   * Error shapes of their own for some paths (see ErrorFormat); the one JSON error shape everywhere
   * else. Built from the app once it exists, so a format can use the service's configuration.
   */
  errorFormats?: (app: INestApplicationContext) => ErrorFormat[];
}

/**
 * Builds a service the same way everywhere: Fastify, the pino logger, one error shape, strict
 * validation, request metrics and trace context, and its OpenAPI document at `/docs` and `/docs-json`;
 * its Kafka consumers are a Nest microservice of the same app (see `connectConsumers`).
 */
export async function createServiceApp(
  rootModule: Type<unknown> | DynamicModule,
  description: ServiceDescription,
  options: ServiceAppOptions = {},
): Promise<NestFastifyApplication> {
  // forceCloseConnections: long-lived streams (the dashboard's) must not hold up a shutdown.
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: false,
    forceCloseConnections: true,
    // Every query parameter of ours is a single value: a repeated one keeps its last value
    // (an array where a string is expected would otherwise reach the handlers).
    routerOptions: { querystringParser: (query: string) => Object.fromEntries(new URLSearchParams(query)) },
    // How often Node looks for requests past their headers or request timeout (set below, from
    // the configuration): its default, 30 s, would let a slow request live up to 30 s longer.
    http: { connectionsCheckingInterval: 1000 },
  });
  // bodyParser off: Nest would register its own JSON parser; ours is stricter (see strict-json.ts).
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Nest routes Fastify's own errors (bad JSON, wrong content type, too large) through the
  // global filters too, so every failure gets the one error shape.
  app.useGlobalFilters(new ApiExceptionFilter(options.errorFormats?.(app)));
  app.useGlobalPipes(createValidationPipe());
  observeHttp(app);
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only (NDJSON and CSV routes register their own parsers): anything else is a 415.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      assertUtf8Charset(request.headers['content-type']);
      done(null, parseStrictJson(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  if (options.streamingContentTypes?.length) {
    // Streamed as they come, but read as UTF-8 like JSON: another declared charset is refused first.
    fastify.addContentTypeParser(options.streamingContentTypes, (request, payload, done) => {
      try {
        assertUtf8Charset(request.headers['content-type']);
        done(null, payload);
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  const config = app.get(ServiceEnvironment);
  applyServerTimeouts(app.getHttpServer() as Server, config);
  app.enableCors({
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept'],
    exposedHeaders: ['location', 'idempotent-replayed', 'x-next-cursor', 'x-has-more', 'retry-after', 'content-location'],
    maxAge: 600,
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    // API answers may carry PHI: never cached, never framed, never sniffed into something else.
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    const path = request.url.split('?')[0];
    if (!reply.hasHeader('content-security-policy') && !path.startsWith('/docs')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    return payload;
  });
  if (options.shutdownHooks) app.enableShutdownHooks();
  setUpOpenApi(app, description);
  connectConsumers(app);
  return app;
}

/**
 * The service's `@EventPattern` handlers, served by the platform's Kafka transport. The HTTP side's
 * filters, pipes and guards are not inherited (they speak HTTP); consumer failures keep their error
 * and leave the chunk uncommitted. The app's own init runs the lifecycle hooks once: the
 * microservice must not run them again when it starts listening.
 */
function connectConsumers(app: NestFastifyApplication): void {
  const consumers = app.connectMicroservice<MicroserviceOptions>(
    { strategy: app.get(KafkaBatchTransport) },
    { inheritAppConfig: false, deferInitialization: true },
  );
  consumers.useGlobalFilters(new UncommittedBatchFilter());
  (consumers as NestMicroservice).setIsInitHookCalled(true);
}

/**
 * Bounds how long a connection can be held without sending a whole request (slow-loris): Node
 * answers 408 and closes it. The server reads these at every check, so setting them once the
 * configuration is known, before listening, is enough.
 */
function applyServerTimeouts(server: Server, config: ServiceEnvironment): void {
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000;
}

/** What a service is: enough for its `main.ts`, the start command and the tests to run it alike. */
export interface ServiceDefinition {
  name: string;
  description: ServiceDescription;
  rootModule: (env: Environment) => DynamicModule;
  options?: ServiceAppOptions;
}

/** Creates the service from an environment and listens on its configured host and port. */
export async function startService(definition: ServiceDefinition, env: Environment, overrides: ServiceAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await createServiceApp(definition.rootModule(env), definition.description, { ...definition.options, ...overrides });
  const config = app.get(ServiceEnvironment);
  // Hooks first (the relay, the producer), then the consumers (in the background: the broker may
  // be away), then HTTP: its readiness waits for the consumers' catch-up gates.
  await app.init();
  await app.startAllMicroservices();
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
