import { DomainError } from '@crc/contracts';

/** Deeper than any request of ours; deep enough nesting would otherwise exhaust the parser's stack. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class MalformedBodyError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 'INVALID', details);
  }
}

export class UnsupportedCharsetError extends DomainError {
  constructor() {
    super('REQUEST.UNSUPPORTED_CHARSET', 'Bodies are read as UTF-8 only; send charset=utf-8 or no charset.', 'UNSUPPORTED_MEDIA_TYPE');
  }
}

/**
 * Keys that reach an object's prototype when a body is merged or assigned somewhere: refused, with
 * where they were, rather than dropped (a client sending them is broken or probing).
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A JSON body declared in another charset is refused (415) rather than decoded as UTF-8 into
 * something else: `latin1` bytes of a name would otherwise become replacement characters or a
 * different member id. No charset, or utf-8 in any case and quoting, is fine.
 */
export function assertUtf8Charset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new UnsupportedCharsetError();
}

/**
 * Parses a JSON request body strictly: valid UTF-8 only (no silent replacement characters in a
 * member id), nesting bounded before parsing, and a clear error for each way it can be wrong.
 * Object properties that are null are dropped (an optional field is either absent or valid).
 */
export function parseStrictJson(body: Buffer): unknown {
  if (body.length === 0) throw new MalformedBodyError('REQUEST.EMPTY_BODY', 'The body is empty; send a JSON object.');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new MalformedBodyError('REQUEST.INVALID_UTF8', 'The body is not valid UTF-8.');
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new MalformedBodyError('REQUEST.TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused.`);
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  let parsed: unknown;
  try {
    // A property set to null means the same as one left out: optional fields are absent or valid.
    parsed = JSON.parse(text, function (this: unknown, key, value: unknown) {
      return value === null && key !== '' && !Array.isArray(this) ? undefined : value;
    });
  } catch {
    // JSON.parse quotes the body in its message, and the body may be PHI.
    throw new MalformedBodyError('REQUEST.INVALID_JSON', 'The body is not valid JSON.');
  }
  const forbidden = forbiddenKeyPath(parsed, '');
  if (forbidden !== undefined) {
    throw new MalformedBodyError('REQUEST.FORBIDDEN_KEY', `The body has a key that is never accepted: ${forbidden}.`, [
      { field: forbidden, problems: ['__proto__, constructor and prototype are never accepted as keys'] },
    ]);
  }
  return parsed;
}

/** The path of the first forbidden key (`visitor.__proto__`, `items[2].constructor`), if any. Depth is bounded above. */
function forbiddenKeyPath(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) return keyPath;
      const found = forbiddenKeyPath((value as Record<string, unknown>)[key], keyPath);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
