import { isNativeError } from 'node:util/types';

/**
 * Log paths that may hold PHI or secrets. Redaction is configuration, not discipline:
 * every service's logger is built with these, whatever a developer passes to it.
 */
export const PHI_LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'memberId',
  'cin',
  'deviceId',
  'macAddress',
  '*.memberId',
  '*.cin',
  '*.deviceId',
  '*.macAddress',
  '*.*.memberId',
  '*.*.cin',
  'visitor',
  '*.visitor',
  // Membership-help case notes: free text that may hold PHI.
  'note',
  'notes',
  '*.note',
  '*.notes',
  'err.keyValue',
  'err.errorResponse',
  'err.keyPattern',
];

/** Shapes of PHI an error text could quote (a CIN, a device MAC address): masked wherever they appear. */
const PHI_IN_TEXT = [/\b\d{8}[A-Za-z]\b/g, /\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b/g];

function maskPhi(text: string | undefined): string | undefined {
  return text === undefined ? undefined : PHI_IN_TEXT.reduce((masked, pattern) => masked.replace(pattern, '[REDACTED]'), text);
}

/** An Error, from this realm or another (a vm context, Node's internals under a test runner). */
function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    isNativeError(value) ||
    (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string')
  );
}

/**
 * What a log line says about an error: its class, code, message and stack, so that an `errorId`
 * leads to the cause. pino-http hands this serializer pino's own serialization of the error (the
 * original is its `raw`): reading that object as if it were the error logged "[object Object]".
 * Only the fields named here are kept (a driver error's own fields, `keyValue` say, can quote a
 * member id); database errors keep their type and code and lose their text; CIN- and MAC-shaped
 * strings are masked in what remains.
 */
export function serializeError(given: unknown): Record<string, unknown> {
  const err = (given as { raw?: unknown } | null)?.raw ?? given;
  if (!isErrorLike(err)) {
    const type = typeof err === 'object' && err !== null ? (err.constructor?.name ?? 'Object') : typeof err;
    return { type, message: `a non-Error ${type} was thrown` };
  }
  const code = (err as { code?: unknown }).code;
  const type = err.constructor?.name && err.constructor.name !== 'Object' ? err.constructor.name : err.name;
  const isDatabaseError = /^(Mongo|Mongoose)/.test(err.name) || /^(Mongo|Mongoose)/.test(type);
  const cause = (err as { cause?: unknown }).cause;
  return {
    type,
    code,
    message: isDatabaseError ? `${err.name} (code ${String(code)})` : maskPhi(err.message),
    stack: isDatabaseError ? undefined : maskPhi(err.stack),
    ...(cause !== undefined && cause !== err ? { cause: serializeError(cause) } : {}),
  };
}
