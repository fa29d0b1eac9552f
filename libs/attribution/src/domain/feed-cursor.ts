import { DomainError } from '@crc/contracts';

export class InvalidCursorError extends DomainError {
  constructor() {
    super('FEED.INVALID_CURSOR', 'The cursor is not one this feed handed out.', 'INVALID', [
      { field: 'since', problems: ['must be a nextCursor value from an earlier page'] },
    ]);
  }
}

/** Opaque to clients; a position in one plan's feed. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`u1:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^u1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}
