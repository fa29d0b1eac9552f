import { parse } from 'csv-parse/sync';

/**
 * Turns an upload's lines into field maps, one record at a time (uploads are streamed, never held
 * whole). NDJSON: one JSON object per line. CSV (RFC 4180, parsed by csv-parse): a header record
 * naming the fields, then records; a quoted field may hold commas, doubled quotes and line breaks,
 * so a record may span lines. A quote inside an unquoted field is kept as it is. A record without
 * any quote is split at its commas, which is all RFC 4180 makes of it.
 */
export type RosterFormat = 'ndjson' | 'csv';

/** `line`: where the record began, for the upload's report. */
export type ParsedRecord = { fields: Record<string, unknown>; line: number } | { error: string; line: number };

/** A quoted field may span lines, but a record no more than this many (an unclosed quote would otherwise swallow the upload). */
export const MAX_LINES_PER_RECORD = 100;
const MAX_RECORD_CHARACTERS = 64 * 1024;

/** csv-parse's error codes, as the report says them: its messages quote the input, which is PHI. */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by more characters',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'record has a different number of fields',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by more characters',
};

export class RosterLineReader {
  private header?: string[];
  /** The lines of a CSV record whose quoted field is still open, and the line it began on. */
  private pending: string[] = [];
  private pendingSince = 0;

  constructor(private readonly format: RosterFormat) {}

  /** The next line of the upload (numbered from 1); returns the records it completes (none, or one). */
  read(rawLine: string, lineNumber: number): ParsedRecord[] {
    const line = (lineNumber === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine).replace(/\r$/, '');
    if (this.format === 'ndjson') return line.trim() === '' ? [] : [this.json(line, lineNumber)];
    if (this.pending.length === 0) {
      if (line.trim() === '') return [];
      this.pendingSince = lineNumber;
    }
    this.pending.push(line);
    const text = this.pending.join('\n');
    const parsed = this.csv(text);
    if (parsed === 'open') {
      if (this.pending.length < MAX_LINES_PER_RECORD && text.length < MAX_RECORD_CHARACTERS) return [];
      return [this.abandon(`quoted field is not closed within ${MAX_LINES_PER_RECORD} lines`)];
    }
    const since = this.pendingSince;
    this.pending = [];
    if ('error' in parsed) return [{ error: parsed.error, line: since }];
    if (!this.header) {
      this.header = parsed.cells.map((c) => c.trim());
      return [];
    }
    if (parsed.cells.length !== this.header.length) return [{ error: `expected ${this.header.length} fields, found ${parsed.cells.length}`, line: since }];
    return [{ fields: Object.fromEntries(this.header.map((name, i) => [name, parsed.cells[i]])), line: since }];
  }

  /**
   * A line the reader never saw (too long): a record it was part of is broken. Returns that
   * record's error, if one was open.
   */
  skipLine(): ParsedRecord[] {
    return this.pending.length > 0 ? [this.abandon('record holds a line that is too long')] : [];
  }

  /** The upload ended: a record still open is an error. */
  finish(): ParsedRecord[] {
    return this.pending.length > 0 ? [this.abandon('quoted field is not closed at the end of the upload')] : [];
  }

  get headerSeen(): boolean {
    return this.format === 'ndjson' || this.header !== undefined;
  }

  private abandon(error: string): ParsedRecord {
    const record = { error, line: this.pendingSince };
    this.pending = [];
    return record;
  }

  private json(line: string, lineNumber: number): ParsedRecord {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'line is not a JSON object', line: lineNumber };
      return { fields: value as Record<string, unknown>, line: lineNumber };
    } catch {
      // JSON.parse's message quotes the line, which is PHI.
      return { error: 'line is not valid JSON', line: lineNumber };
    }
  }

  private csv(text: string): { cells: string[] } | { error: string } | 'open' {
    // Without a quote, RFC 4180 (and csv-parse) make of a record exactly its comma-separated
    // parts; csv-parse costs about 100 µs a call, which would dominate a 100,000-member upload.
    if (!text.includes('"')) return { cells: text.split(',') };
    try {
      const [cells = ['']] = parse(text, { relax_quotes: true, relax_column_count: true });
      return { cells };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'CSV_QUOTE_NOT_CLOSED') return 'open';
      return { error: CSV_PROBLEMS[code] ?? 'record is not valid CSV' };
    }
  }
}
