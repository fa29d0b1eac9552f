/**
 * What kind of failure a domain error is. Transport adapters map kinds to status codes
 * (see ApiExceptionFilter); the domain itself knows nothing of HTTP.
 */
export type ErrorKind =
  | 'INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE'
  | 'TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

/**
 * An expected failure with a stable, machine-readable code such as `VISIT.ALREADY_CHECKED_OUT`.
 * Messages and details must never carry PHI: they reach clients and logs.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RequestValidationError extends DomainError {
  constructor(details: unknown, message = 'The request is not valid.') {
    super('REQUEST.VALIDATION_FAILED', message, 'INVALID', details);
  }
}
