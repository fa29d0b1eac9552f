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

/**
 * Database errors can quote the offending values (a duplicate key, say); keep their type and
 * code, drop the text.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  const isDatabaseError = err.name.startsWith('Mongo') || err.name.startsWith('Mongoose');
  return {
    type: err.name,
    code,
    message: isDatabaseError ? `${err.name} (code ${String(code)})` : err.message,
    stack: isDatabaseError ? undefined : err.stack,
  };
}
