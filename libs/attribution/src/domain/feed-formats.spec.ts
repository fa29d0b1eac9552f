import { parse } from 'csv-parse/sync';
import { UtilizationRecord } from '@crc/contracts';
import { CSV_COLUMNS, csvCell, disclosedFields, toCsv, toNdjson } from './feed-formats';

const record: UtilizationRecord = {
  recordId: 'v:1',
  visitId: 'v',
  revision: 1,
  status: 'ACTIVE',
  centerId: 'crc-el-monte',
  serviceDate: '2026-11-28',
  plan: 'LA_CARE',
  basis: 'ELIGIBILITY',
  productLine: 'MEDI_CAL',
  flags: ['DUAL_COVERAGE'],
  ruleVersion: 1,
  memberId: 'LAC100001',
  purposes: ['EXERCISE_CLASS', 'OTHER'],
  checkedInAt: '2026-11-28T17:00:00.000Z',
  publishedAt: '2026-11-28T17:00:01.000Z',
};

describe('feed formats', () => {
  it('writes CSV with a header, lists joined by |, empty cells for absent values', () => {
    const csv = toCsv([record], true).split('\r\n');
    expect(csv[0]).toBe(
      'recordId,visitId,revision,supersedes,status,centerId,serviceDate,plan,basis,productLine,planPartner,flags,ruleVersion,memberId,purposes,checkedInAt,checkedOutAt,membershipHelp,telehealthWifiMinutes,publishedAt',
    );
    expect(csv[1]).toBe(
      'v:1,v,1,,ACTIVE,crc-el-monte,2026-11-28,LA_CARE,ELIGIBILITY,MEDI_CAL,,DUAL_COVERAGE,1,LAC100001,EXERCISE_CLASS|OTHER,2026-11-28T17:00:00.000Z,,,,2026-11-28T17:00:01.000Z',
    );
    const withServices = toCsv(
      [{ ...record, membershipHelp: [{ caseType: 'PCP_CHANGE', outcome: 'RESOLVED', minutes: 12 }, { caseType: 'OTHER' }], telehealthWifiMinutes: 42 }],
      false,
    );
    expect(withServices).toContain(',PCP_CHANGE:RESOLVED:12|OTHER::,42,');
    expect(toCsv([record], false).startsWith('v:1,')).toBe(true);
  });

  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips through an RFC 4180 parser, line breaks, quotes and commas included', () => {
    const awkward = { ...record, centerId: 'crc "north",\r\nannex', memberId: 'a\nb', flags: ['X,Y', 'Z'] } as unknown as UtilizationRecord;
    const rows = parse(toCsv([record, awkward], true));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows[2][CSV_COLUMNS.indexOf('centerId')]).toBe('crc "north",\r\nannex');
    expect(rows[2][CSV_COLUMNS.indexOf('memberId')]).toBe('a\nb');
    expect(rows[2][CSV_COLUMNS.indexOf('flags')]).toBe('X,Y|Z');
    expect(toCsv([], false)).toBe('');
  });

  it('writes one JSON object per NDJSON line and lists the disclosed fields', () => {
    const lines = toNdjson([record, { ...record, recordId: 'v:2' }])
      .trimEnd()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).recordId)).toEqual(['v:1', 'v:2']);
    expect(disclosedFields([record])).toContain('memberId');
    expect(disclosedFields([])).toEqual([]);
  });
});
