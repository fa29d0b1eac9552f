import { MAX_LINES_PER_RECORD, ParsedRecord, RosterLineReader } from './roster-lines';

/** Feeds lines as the upload's line splitter would, and collects every record with its line. */
function readAll(format: 'csv' | 'ndjson', text: string): ParsedRecord[] {
  const reader = new RosterLineReader(format);
  const records = text.split('\n').flatMap((line, i) => reader.read(line, i + 1));
  return [...records, ...reader.finish()];
}

describe('RosterLineReader, CSV', () => {
  it('reads a header and rows, quoted fields with commas, doubled quotes and a BOM', () => {
    const records = readAll('csv', '\uFEFFmemberId,cin,productLine\r\nLAC1,,MEDI_CAL\r\n"LAC,2","12345678A","say ""hi"""');
    expect(records).toEqual([
      { fields: { memberId: 'LAC1', cin: '', productLine: 'MEDI_CAL' }, line: 2 },
      { fields: { memberId: 'LAC,2', cin: '12345678A', productLine: 'say "hi"' }, line: 3 },
    ]);
  });

  it('reads a quoted field across line breaks (RFC 4180) as one record, reported at the line it began', () => {
    const records = readAll('csv', 'memberId,note,productLine\nLAC1,"first\nsecond\r\nthird",MEDI_CAL\nLAC2,plain,MEDI_CAL');
    expect(records).toEqual([
      { fields: { memberId: 'LAC1', note: 'first\nsecond\nthird', productLine: 'MEDI_CAL' }, line: 2 },
      { fields: { memberId: 'LAC2', note: 'plain', productLine: 'MEDI_CAL' }, line: 5 },
    ]);
  });

  it('keeps a quote inside an unquoted field, and refuses a record with the wrong number of fields', () => {
    const records = readAll('csv', 'memberId,productLine\nLA"C1,MEDI_CAL\nLAC2');
    expect(records).toEqual([
      { fields: { memberId: 'LA"C1', productLine: 'MEDI_CAL' }, line: 2 },
      { error: 'expected 2 fields, found 1', line: 3 },
    ]);
  });

  it('reports a quote left open at the end, and one open for too many lines, without quoting the values', () => {
    const atEnd = readAll('csv', 'memberId,productLine\n"LAC-SECRET,MEDI_CAL');
    expect(atEnd).toEqual([{ error: 'quoted field is not closed at the end of the upload', line: 2 }]);

    const lines = ['memberId,productLine', '"LAC-SECRET', ...Array.from({ length: MAX_LINES_PER_RECORD + 5 }, (_, i) => `x${i}`)];
    const runaway = readAll('csv', lines.join('\n'));
    expect(runaway[0]).toEqual({ error: `quoted field is not closed within ${MAX_LINES_PER_RECORD} lines`, line: 2 });
    expect(JSON.stringify(runaway)).not.toContain('SECRET');
  });

  it('reads text after a closing quote as part of the field, as csv-parse does with relaxed quotes', () => {
    expect(readAll('csv', 'memberId,productLine\n"LAC1"x,MEDI_CAL')).toEqual([{ fields: { memberId: '"LAC1"x', productLine: 'MEDI_CAL' }, line: 2 }]);
  });

  it('breaks an open record when a line was too long to read', () => {
    const reader = new RosterLineReader('csv');
    reader.read('memberId,productLine', 1);
    expect(reader.read('"LAC1', 2)).toEqual([]);
    expect(reader.skipLine()).toEqual([{ error: 'record holds a line that is too long', line: 2 }]);
    expect(reader.read('LAC2,MEDI_CAL', 4)).toEqual([{ fields: { memberId: 'LAC2', productLine: 'MEDI_CAL' }, line: 4 }]);
  });
});

describe('RosterLineReader, NDJSON', () => {
  it('reads one object per line and refuses what is not one, without quoting the line', () => {
    const records = readAll('ndjson', '{"memberId":"LAC1"}\n\n[1]\n{"memberId": "SECRET"');
    expect(records).toEqual([
      { fields: { memberId: 'LAC1' }, line: 1 },
      { error: 'line is not a JSON object', line: 3 },
      { error: 'line is not valid JSON', line: 4 },
    ]);
  });
});
