import { DomainError } from '@crc/contracts';

/** Deeper than any request of ours; deep enough nesting would otherwise exhaust the parser's stack. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class MalformedBodyError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'INVALID');
  }
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
      if (ch === 0x5c) i++; // skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new MalformedBodyError('REQUEST.TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused.`);
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  try {
    // A property set to null means the same as one left out: optional fields are absent or valid.
    return JSON.parse(text, function (this: unknown, key, value: unknown) {
      return value === null && key !== '' && !Array.isArray(this) ? undefined : value;
    });
  } catch {
    // JSON.parse quotes the body in its message, and the body may be PHI.
    throw new MalformedBodyError('REQUEST.INVALID_JSON', 'The body is not valid JSON.');
  }
}
