import { DomainError, ISO_DATE_PATTERN, startOfServiceDate } from '@crc/contracts';

export class InvalidCursorError extends DomainError {
  constructor() {
    super('FEED.INVALID_CURSOR', 'since must be a nextCursor from an earlier page or a date as YYYY-MM-DD.', 'INVALID', [
      { field: 'since', problems: ['must be a nextCursor value from an earlier page, or a date as YYYY-MM-DD'] },
    ]);
  }
}

/** Opaque to clients; a position in one plan's feed. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`u1:${seq}`, 'utf8').toString('base64url');
}

/** `since` is a cursor from an earlier page, or a date (YYYY-MM-DD: entries published from then on). */
export type FeedPosition = { afterSeq: number } | { publishedFrom: Date };

export function readSince(since: string | undefined): FeedPosition {
  if (since && ISO_DATE_PATTERN.test(since)) {
    const date = new Date(`${since}T12:00:00Z`);
    if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(since)) throw new InvalidCursorError();
    return { publishedFrom: startOfServiceDate(since) };
  }
  return { afterSeq: decodeCursor(since) };
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^u1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}
