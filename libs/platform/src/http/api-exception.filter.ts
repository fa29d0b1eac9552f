import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ApiErrorResponse } from '@crc/contracts';
import { DomainError, ErrorKind } from '@crc/contracts';
import { StoreBusyError } from '../mongo/insert-batcher';
import { isStoreUnavailable } from '../mongo/store-unavailable';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** Codes for failures raised by the framework or by Fastify before our code runs. */
const CODE_BY_STATUS: Record<number, [string, string]> = {
  400: ['REQUEST.MALFORMED', 'The request could not be read.'],
  401: ['AUTH.UNAUTHENTICATED', 'A valid bearer token is required.'],
  403: ['AUTH.FORBIDDEN', 'This credential may not do that.'],
  404: ['ROUTE.NOT_FOUND', 'No such route.'],
  405: ['ROUTE.METHOD_NOT_ALLOWED', 'Method not allowed on this route.'],
  406: ['REQUEST.NOT_ACCEPTABLE', 'None of the accepted media types can be produced.'],
  413: ['REQUEST.TOO_LARGE', 'The request body is too large.'],
  415: ['REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type.'],
  429: ['REQUEST.RATE_LIMITED', 'Too many requests.'],
};

/** Fastify's own failures while reading a request. */
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'REQUEST.INVALID_JSON', 'The body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'REQUEST.EMPTY_BODY', 'The body is empty; send a JSON object.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'REQUEST.TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type; send application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'REQUEST.BAD_CONTENT_LENGTH', 'Content-Length does not match the body.'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'REQUEST.BAD_CONTENT_TYPE', 'The Content-Type header is malformed.'],
};

export interface ErrorReply {
  status: number;
  body: ApiErrorResponse;
}

/** Turns anything thrown into the one error shape `{ error: { code, message, details, errorId } }`. */
/** How long a client waits before trying again after the store was unavailable. */
const STORE_RETRY_AFTER_SECONDS = 2;

export function toErrorReply(exception: unknown, logger: Pick<Logger, 'error' | 'warn' | 'debug'>): ErrorReply {
  if (exception instanceof DomainError) {
    return {
      status: STATUS_BY_KIND[exception.kind],
      body: { error: { code: exception.code, message: exception.message, details: exception.details } },
    };
  }
  const fastifyCode = (exception as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const [status, code, message] = FASTIFY_CODES[fastifyCode];
    return { status, body: { error: { code, message } } };
  }
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : typeof (exception as { statusCode?: unknown })?.statusCode === 'number'
        ? (exception as { statusCode: number }).statusCode
        : 500;
  if (status < 500 && CODE_BY_STATUS[status]) {
    const [code, message] = CODE_BY_STATUS[status];
    return { status, body: { error: { code, message } } };
  }
  if (status < 500) {
    return { status, body: { error: { code: 'REQUEST.REFUSED', message: 'The request was refused.' } } };
  }
  const errorId = randomUUID();
  if (exception instanceof StoreBusyError) {
    // Load shed on purpose, nothing written: logged at debug only (a burst would flood the log).
    logger.debug(`store busy ${errorId}: ${exception.message}`);
    return {
      status: 503,
      body: {
        error: {
          code: 'SERVER.BUSY',
          message: 'More writes are waiting for the store than it takes in time; nothing was written. Try again shortly.',
          details: { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
          errorId,
        },
      },
    };
  }
  if (isStoreUnavailable(exception)) {
    // An outage to ride out (retry with the same key), not a fault: logged as a warning, still under an id.
    logger.warn({ errorId, err: exception }, `store unavailable ${errorId}`);
    return {
      status: 503,
      body: {
        error: {
          code: 'SERVER.STORE_UNAVAILABLE',
          message: 'The store cannot be reached right now; try again shortly.',
          details: { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
          errorId,
        },
      },
    };
  }
  // The cause (class, message, stack; PHI masked by the logger's error serializer) goes to the log
  // under the error id, never to the client.
  logger.error({ errorId, err: exception }, `unhandled error ${errorId}`);
  return {
    status: status === 503 ? 503 : HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.', errorId } },
  };
}

/**
 * Another way to write the same errors (status and code unchanged) for the paths of a standard
 * protocol whose clients expect its own shape, such as FHIR's OperationOutcome.
 */
export interface ErrorFormat {
  /** Whether this format answers errors at this path (the URL without its query string). */
  appliesTo(path: string): boolean;
  /** Writes the body and its content type; the status is set already. */
  write(reply: FastifyReply, error: ErrorReply): void;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(private readonly formats: readonly ErrorFormat[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    const { status, body } = toErrorReply(exception, this.logger);
    const retryAfter = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if ((status === 429 || status === 503) && retryAfter) void reply.header('retry-after', String(retryAfter));
    // Every failure of these paths, wherever it is raised (Fastify, guards, pipes, handlers, unknown routes), takes their format.
    const path = (request?.url ?? '').split('?')[0];
    const format = this.formats.find((f) => f.appliesTo(path));
    if (format) return format.write(reply.status(status), { status, body });
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
