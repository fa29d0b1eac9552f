import { isCalendarDate, MEMBER_ID_PATTERN, normaliseMemberId, PartnerPlan } from '@crc/contracts';
import { Coverage, isRowProblem, readRosterRow } from '../domain/coverage';
import { LoopSegment, MappedValue, Plan834Mapping, readReference } from './enrollment-834-mapping';

/**
 * The maintenance type codes of an 834 member loop (INS03) or coverage loop (HD01), and what each
 * does to the roster. 001 change, 021 addition, 024 cancellation or termination, 025
 * reinstatement, 030 audit or compare (a full file's entries).
 */
export const MAINTENANCE_TYPES = { '001': 'CHANGE', '021': 'ADDITION', '024': 'TERMINATION', '025': 'REINSTATEMENT', '030': 'AUDIT' } as const;
export type MaintenanceTypeCode = keyof typeof MAINTENANCE_TYPES;

/** What one member loop does to the plan's roster, in file order. */
export type RosterOperation =
  /** The span is stored as read (added, corrected, reinstated or confirmed). */
  | { kind: 'COVER'; coverage: Coverage }
  /**
   * Coverage ends on `coverageEnd`: the member's spans (of that product line, or all of them) open
   * or ending later end then, and spans starting after it are removed (cancelled before they began).
   */
  | { kind: 'END'; memberId: string; productLine?: string; coverageEnd: string };

/** One member loop (2000 and the loops inside it) as read from the file. */
export interface MemberLoop {
  /** The INS segment's position in the file (ISA = 1). */
  line: number;
  segments: LoopSegment[];
  /** The loop had more segments than are kept; it is refused. */
  overflowed?: boolean;
}

/** Names where the problem is, never what the file holds there (the file is PHI). */
export interface LoopProblem {
  line: number;
  position: number;
  segmentId: string;
  loop: string;
  message: string;
}

export type MappedLoop = { operations: RosterOperation[] } | { problems: LoopProblem[] };

const isCode = (code: string | undefined): code is MaintenanceTypeCode => code !== undefined && code in MAINTENANCE_TYPES;
const COVERAGE_LOOPS = new Set(['2300', '2310', '2320', '2330']);

/** An X12 date (D8 CCYYMMDD, or the ends of an RD8 range) as YYYY-MM-DD; undefined when malformed. */
export function readX12Dates(format: string | undefined, value: string | undefined): [string, string?] | undefined {
  const day = (v: string) => {
    if (!/^\d{8}$/.test(v)) return undefined;
    const date = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
    return isCalendarDate(date) ? date : undefined;
  };
  if (format === 'D8' && value) {
    const d = day(value);
    return d ? [d] : undefined;
  }
  if (format === 'RD8' && value) {
    const [from, to, ...rest] = value.split('-');
    const start = from === undefined ? undefined : day(from);
    const end = to === undefined ? undefined : day(to);
    return start && end && rest.length === 0 ? [start, end] : undefined;
  }
  return undefined;
}

/**
 * Reads one member loop into roster operations, through the plan's mapping (data, not code). The
 * maintenance type of each coverage loop (HD01) wins over the member's (INS03). A loop with any
 * problem yields no operation at all: like a bad CSV row, it is refused whole.
 */
export function mapMemberLoop(plan: PartnerPlan, member: MemberLoop, mapping: Plan834Mapping, productLines: ReadonlySet<string>): MappedLoop {
  const problems: LoopProblem[] = [];
  const problemAt = (at: LoopSegment, message: string) =>
    problems.push({ line: member.line + (at.position - member.segments[0].position), position: at.position, segmentId: at.segment.id, loop: at.loop, message });
  const ins = member.segments[0];
  if (member.overflowed) {
    problemAt(ins, 'the member loop has too many segments');
    return { problems };
  }
  const insCode = ins.segment.elements[2];
  if (!isCode(insCode)) problemAt(ins, 'INS03 is not a maintenance type code applied here (001, 021, 024, 025, 030)');

  const memberSegments = member.segments.filter((s) => !COVERAGE_LOOPS.has(s.loop));
  const coverages: LoopSegment[][] = [];
  for (const s of member.segments) {
    if (s.segment.id === 'HD' && s.loop === '2300') coverages.push([s]);
    else if (COVERAGE_LOOPS.has(s.loop) && coverages.length > 0) coverages[coverages.length - 1].push(s);
  }

  const dateOf = (segments: LoopSegment[], loop: string, qualifier: string): [string, string?] | undefined | null => {
    const at = segments.find((s) => s.loop === loop && s.segment.id === 'DTP' && s.segment.elements[0] === qualifier);
    if (!at) return undefined;
    const dates = readX12Dates(at.segment.elements[1], at.segment.elements[2]);
    if (!dates) {
      problemAt(at, `DTP03 of DTP*${qualifier} is not a date in its DTP02 format (D8: CCYYMMDD, RD8: CCYYMMDD-CCYYMMDD)`);
      return null;
    }
    return dates;
  };
  const memberId = readReference(memberSegments, mapping.memberId);
  if (!memberId) problemAt(ins, `no member id: none of ${mapping.memberId.map((r) => r.text).join(', ')} is in the loop`);
  const cin = mapping.cin.length > 0 ? readReference(memberSegments, mapping.cin) : undefined;
  const memberEnd = dateOf(memberSegments, '2000', '357');

  const translate = (segments: LoopSegment[], mapped: MappedValue, what: string, blame: LoopSegment): string | undefined | null => {
    const found = readReference(segments, mapped.from);
    if (!found) return undefined;
    if (!mapped.values) return found.value.toUpperCase();
    const code = mapped.values[found.value] ?? mapped.values[found.value.toUpperCase()];
    if (code === undefined) {
      problemAt(found.at ?? blame, `${what}: the value of ${mapped.from.map((r) => r.text).join(' or ')} is not one the mapping lists`);
      return null;
    }
    return code;
  };

  const operations: RosterOperation[] = [];
  const end = (blame: LoopSegment, productLine: string | undefined, coverageEnd: string) => {
    const id = memberId ? normaliseMemberId(memberId.value) : undefined;
    if (!id || !MEMBER_ID_PATTERN.test(id)) return problemAt(blame, 'the member id is not 3-32 letters, digits or dashes');
    if (productLine !== undefined && !productLines.has(productLine)) return problemAt(blame, `the product line is not one of ${[...productLines].join(', ')}`);
    operations.push({ kind: 'END', memberId: id, ...(productLine ? { productLine } : {}), coverageEnd });
  };

  if (coverages.length === 0 && isCode(insCode)) {
    const type = MAINTENANCE_TYPES[insCode];
    if (type === 'TERMINATION' || (type === 'CHANGE' && memberEnd)) {
      // A member-level termination ends every coverage the member has in this plan's roster.
      if (memberEnd) end(ins, undefined, memberEnd[0]);
      else if (memberEnd === undefined) problemAt(ins, 'a termination without a coverage loop (2300) needs DTP*357 (eligibility end) in loop 2000');
    } else if (type !== 'CHANGE') {
      problemAt(ins, 'an addition, reinstatement or audit needs a coverage loop (2300: HD and DTP*348)');
    }
  }

  for (const coverage of coverages) {
    const hd = coverage[0];
    const hdCode = hd.segment.elements[0] || insCode;
    if (!isCode(hdCode)) {
      problemAt(hd, 'HD01 is not a maintenance type code applied here (001, 021, 024, 025, 030)');
      continue;
    }
    const type = MAINTENANCE_TYPES[hdCode];
    const scope = [...memberSegments, ...coverage];
    const productLine = translate(scope, mapping.productLine, 'product line', hd);
    const planPartner = mapping.planPartner ? translate(scope, mapping.planPartner, 'plan partner', hd) : undefined;
    const begin = dateOf(coverage, '2300', '348');
    const finish = dateOf(coverage, '2300', '349');
    if (productLine === null || planPartner === null || begin === null || finish === null) continue;
    if (productLine === undefined) {
      problemAt(hd, `no product line: none of ${mapping.productLine.from.map((r) => r.text).join(', ')} is in the loop`);
      continue;
    }
    const coverageEnd = finish?.[0] ?? begin?.[1];
    if (type === 'ADDITION' || type === 'REINSTATEMENT' || type === 'AUDIT' || (type === 'CHANGE' && begin)) {
      if (!begin) {
        problemAt(hd, 'an addition, reinstatement or audit needs DTP*348 (benefit begin) in loop 2300');
        continue;
      }
      const row = readRosterRow(
        plan,
        {
          memberId: memberId?.value,
          ...(cin ? { cin: cin.value } : {}),
          productLine,
          ...(planPartner ? { planPartner } : {}),
          coverageStart: begin[0],
          ...(coverageEnd ? { coverageEnd } : {}),
        },
        productLines,
      );
      if (isRowProblem(row)) problemAt(hd, `the roster record read from this loop: ${row.message}`);
      else operations.push({ kind: 'COVER', coverage: row });
    } else if (type === 'TERMINATION' || (type === 'CHANGE' && (coverageEnd || memberEnd))) {
      const when = coverageEnd ?? memberEnd?.[0];
      if (when) end(hd, productLine, when);
      else if (memberEnd === undefined) problemAt(hd, 'a termination needs DTP*349 (benefit end) in loop 2300 or DTP*357 (eligibility end) in loop 2000');
    }
    // A change with no coverage dates (a new address, a corrected name) changes nothing in the roster.
  }
  return problems.length > 0 ? { problems } : { operations };
}
