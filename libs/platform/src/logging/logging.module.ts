import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { ServiceEnvironment } from '../config/service-environment';
import { traceLogFields } from '../tracing/tracing';
import { PHI_LOG_REDACTIONS, serializeError } from './phi-redaction';

/** One JSON logger for every service (pino), with PHI paths redacted. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ServiceEnvironment],
      useFactory: (config: ServiceEnvironment) => ({
        pinoHttp: [
          {
            level: config.LOG_LEVEL,
            name: config.serviceName,
            redact: { paths: PHI_LOG_REDACTIONS, censor: '[REDACTED]' },
            // Every line logged while handling a request or an event names its trace.
            mixin: traceLogFields,
            genReqId: (req: { headers: Record<string, unknown> }) => {
              const given = req.headers['x-request-id'];
              return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
            },
            autoLogging: { ignore: (req: { url?: string }) => req.url === '/metrics' || /^\/health(\/|$)/.test(req.url ?? '') },
            serializers: {
              // URLs carry center ids and visit ids only; bodies and queries are never logged.
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              err: serializeError,
            },
          },
          // Standard output unless LOG_FILE says otherwise (the e2e tests collect every service's log to scan it for PHI).
          config.LOG_FILE ? pino.destination({ dest: config.LOG_FILE, append: true, mkdir: true, sync: false }) : pino.destination(1),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
