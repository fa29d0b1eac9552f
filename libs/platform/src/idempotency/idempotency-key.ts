import { createHash } from 'node:crypto';
import { DomainError } from '@crc/contracts';

/** Client-chosen keys: a UUID is recommended; anything printable of 8 to 100 characters is accepted. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;

export class InvalidIdempotencyKeyError extends DomainError {
  constructor() {
    super('IDEMPOTENCY.INVALID_KEY', 'Idempotency-Key must be 8 to 100 letters, digits, dots, dashes, colons or underscores (a UUID is best).', 'INVALID');
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request.', 'UNPROCESSABLE');
  }
}

/**
 * The id of the operation a key stands for: the same for every retry of it, so whatever the
 * operation creates (a visit, a case) gets the same id however often it is attempted, and a retry
 * after a crash finds what the first attempt wrote instead of writing it twice.
 * Shaped as an RFC 9562 version-8 UUID.
 */
export function operationIdFor(scope: string, key: string): string {
  const hex = createHash('sha256').update(`${scope}\n${key}`, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A digest of what the request asked for; key order in objects does not matter. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(stableJson(request), 'utf8').digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
