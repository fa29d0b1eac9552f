/**
 * Generated ASC X12 834 (005010X220A1) enrolment files for tests and benchmarks: fictional members
 * only, never real PHI. Valid files of any size (streamed segment by segment), and each kind of
 * error the roster upload must refuse or report.
 */
export type MaintenanceCode = '001' | '021' | '024' | '025' | '030';

export interface Member834 {
  memberId: string;
  cin?: string;
  /** The file's code for the product line (HD04), e.g. MC; the mapping turns it into MEDI_CAL. */
  productLine?: string;
  /** The file's plan-partner code (2300 REF*ZZ), e.g. BSP. */
  planPartner?: string;
  /** INS03; 021 (addition) by default. */
  maintenance?: MaintenanceCode | string;
  /** HD01 when it differs from INS03. */
  coverageMaintenance?: MaintenanceCode | string;
  /** YYYY-MM-DD: DTP*348 (benefit begin). */
  coverageStart?: string;
  /** YYYY-MM-DD: DTP*349 (benefit end). */
  coverageEnd?: string;
  /** YYYY-MM-DD: DTP*357 (eligibility end) in loop 2000. */
  eligibilityEnd?: string;
  /** No coverage loop (2300) at all: a member-level change or termination. */
  withoutCoverage?: boolean;
}

/** What a generated file gets wrong: an envelope error (the whole file refused) or a bad member loop. */
export type Enrollment834Defect =
  | 'SE_COUNT'
  | 'SE_CONTROL'
  | 'GE_COUNT'
  | 'GE_CONTROL'
  | 'IEA_COUNT'
  | 'IEA_CONTROL'
  | 'TRUNCATED'
  | 'NOT_834'
  | 'WRONG_GUIDE'
  | 'BAD_ACTION'
  | 'BAD_DATE'
  | 'NO_MEMBER_ID'
  | 'UNKNOWN_PRODUCT_LINE'
  | 'BAD_MAINTENANCE'
  | 'END_BEFORE_START';

export const ENVELOPE_DEFECTS: Enrollment834Defect[] = [
  'SE_COUNT',
  'SE_CONTROL',
  'GE_COUNT',
  'GE_CONTROL',
  'IEA_COUNT',
  'IEA_CONTROL',
  'TRUNCATED',
  'NOT_834',
  'WRONG_GUIDE',
  'BAD_ACTION',
];
export const LOOP_DEFECTS: Enrollment834Defect[] = ['BAD_DATE', 'NO_MEMBER_ID', 'UNKNOWN_PRODUCT_LINE', 'BAD_MAINTENANCE', 'END_BEFORE_START'];

export interface Enrollment834Options {
  /** ISA06/GS02; DHCS by default. */
  sender?: string;
  /** ISA08/GS03, e.g. LACARE or BSCPROMISE (the default mapping's ids). */
  receiver: string;
  /** ISA13 (and GS06, ST02 derived from it); 1 by default. */
  controlNumber?: number;
  /** BGN08: RX replace (a full file), 2 changes, 4 verify (a full file). RX by default. */
  action?: 'RX' | '2' | '4';
  members: Iterable<Member834>;
  /** The member loops split over this many transaction sets (1 by default). */
  transactionSets?: number;
  defect?: Enrollment834Defect;
  /** A line break after each segment terminator, as most files have (true by default). */
  lineBreaks?: boolean;
}

const pad = (value: string, width: number) => value.padEnd(width, ' ').slice(0, width);
const d8 = (date: string) => date.replace(/-/g, '');

/** The 834 segment by segment (each with its terminator): stream it, or join it. */
export function* enrollment834Segments(options: Enrollment834Options): Generator<string> {
  const sender = options.sender ?? 'DHCS';
  const control = options.controlNumber ?? 1;
  const isa13 = String(control).padStart(9, '0');
  const end = options.lineBreaks === false ? '~' : '~\n';
  const defect = options.defect;
  const s = (...elements: string[]) => elements.join('*') + end;
  yield s(
    'ISA',
    '00',
    pad('', 10),
    '00',
    pad('', 10),
    'ZZ',
    pad(sender, 15),
    'ZZ',
    pad(options.receiver, 15),
    '260101',
    '1200',
    '^',
    '00501',
    isa13,
    '0',
    'P',
    ':',
  );
  yield s('GS', 'BE', sender, options.receiver, '20260101', '1200', String(control), 'X', defect === 'WRONG_GUIDE' ? '005010X220' : '005010X220A1');
  const sets = Math.max(1, options.transactionSets ?? 1);
  const members = options.members[Symbol.iterator]();
  let first = true;
  let done = false;
  let setsWritten = 0;
  // Members are dealt out to the sets in turn only when the count is known; otherwise the last set takes the rest.
  const perSet = Array.isArray(options.members) ? Math.ceil(options.members.length / sets) : Number.POSITIVE_INFINITY;
  for (let set = 1; set <= sets && !done; set++) {
    setsWritten++;
    const st02 = String(set).padStart(4, '0');
    let count = 0;
    const t = (...elements: string[]) => {
      count++;
      return s(...elements);
    };
    yield t('ST', defect === 'NOT_834' && set === 1 ? '270' : '834', st02, '005010X220A1');
    yield t('BGN', '00', `CRC${control}-${set}`, '20260101', '1200', '', '', '', defect === 'BAD_ACTION' ? '9' : (options.action ?? 'RX'));
    yield t('N1', 'P5', 'DEPARTMENT OF HEALTH CARE SERVICES', 'FI', '000000001');
    yield t('N1', 'IN', options.receiver, 'FI', '000000002');
    for (let written = 0; written < perSet; written++) {
      const next = members.next();
      if (next.done) {
        done = true;
        break;
      }
      for (const segment of memberLoop(next.value, first ? defect : undefined)) yield t(...segment);
      first = false;
    }
    if (defect === 'TRUNCATED') return;
    yield s('SE', String(count + 1 + (defect === 'SE_COUNT' ? 1 : 0)), defect === 'SE_CONTROL' ? '9999' : st02);
  }
  yield s('GE', String(setsWritten + (defect === 'GE_COUNT' ? 1 : 0)), defect === 'GE_CONTROL' ? String(control + 1) : String(control));
  yield s('IEA', defect === 'IEA_COUNT' ? '2' : '1', defect === 'IEA_CONTROL' ? String(control + 1).padStart(9, '0') : isa13);
}

function memberLoop(m: Member834, defect: Enrollment834Defect | undefined): string[][] {
  const code = defect === 'BAD_MAINTENANCE' ? '999' : (m.maintenance ?? '021');
  const reason = { '021': '28', '024': '07', '025': '41', '030': 'XN' }[code] ?? 'AI';
  const segments: string[][] = [['INS', 'Y', '18', code, reason, 'A', '', '', 'FT']];
  if (defect !== 'NO_MEMBER_ID') segments.push(['REF', '0F', m.memberId]);
  if (m.cin) segments.push(['REF', 'ZZ', m.cin]);
  if (m.eligibilityEnd) segments.push(['DTP', '357', 'D8', d8(m.eligibilityEnd)]);
  segments.push(['NM1', 'IL', '1', 'MEMBER', 'GENERATED']);
  segments.push(['DMG', 'D8', '19800101', 'U']);
  if (m.withoutCoverage) return segments;
  segments.push(['HD', m.coverageMaintenance ?? code, '', 'HLT', defect === 'UNKNOWN_PRODUCT_LINE' ? 'NOSUCHLINE' : (m.productLine ?? 'MC'), 'IND']);
  if (m.coverageStart) segments.push(['DTP', '348', 'D8', defect === 'BAD_DATE' ? '20260230' : d8(m.coverageStart)]);
  const coverageEnd = defect === 'END_BEFORE_START' && m.coverageStart ? '19990101' : m.coverageEnd && d8(m.coverageEnd);
  if (coverageEnd) segments.push(['DTP', '349', 'D8', coverageEnd]);
  if (m.planPartner) segments.push(['REF', 'ZZ', m.planPartner]);
  return segments;
}

/** The whole file as one string (small files; stream `enrollment834Segments` for large ones). */
export function enrollment834(options: Enrollment834Options): string {
  return [...enrollment834Segments(options)].join('');
}

/** `count` fictional members, all additions from 2026-01-01 (for files of any size). */
export function* generatedMembers(count: number, prefix = 'GEN', productLine = 'MC'): Generator<Member834> {
  for (let i = 0; i < count; i++) {
    yield {
      memberId: `${prefix}${String(i).padStart(7, '0')}`,
      // Medi-Cal CIN shaped (8 digits and a letter), in a range no seed member uses.
      cin: `${String(70_000_000 + i).slice(-8)}${String.fromCharCode(65 + (i % 26))}`,
      productLine,
      coverageStart: '2026-01-01',
    };
  }
}
