/**
 * Turns an upload's lines into field maps, one line at a time (uploads are streamed, never held
 * whole). NDJSON: one JSON object per line. CSV: a header line naming the fields, then rows;
 * quoted fields may contain commas and doubled quotes, not line breaks.
 */
export type RosterFormat = 'ndjson' | 'csv';

export type ParsedLine = { fields: Record<string, unknown> } | { error: string } | { skip: true };

export function splitCsvLine(line: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

export class RosterLineReader {
  private header?: string[];

  constructor(private readonly format: RosterFormat) {}

  read(rawLine: string): ParsedLine {
    const line = rawLine.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') return { skip: true };
    if (this.format === 'ndjson') {
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'line is not a JSON object' };
        return { fields: value as Record<string, unknown> };
      } catch {
        // JSON.parse's message quotes the line, which is PHI.
        return { error: 'line is not valid JSON' };
      }
    }
    const cells = splitCsvLine(line);
    if (!cells) return { error: 'unterminated quoted field' };
    if (!this.header) {
      this.header = cells.map((c) => c.trim());
      return { skip: true };
    }
    if (cells.length !== this.header.length) return { error: `expected ${this.header.length} fields, found ${cells.length}` };
    return { fields: Object.fromEntries(this.header.map((name, i) => [name, cells[i]])) };
  }

  get headerSeen(): boolean {
    return this.format === 'ndjson' || this.header !== undefined;
  }
}
