import { LoopSegment } from './enrollment-834-mapping';
import { MemberLoop } from './member-loop';
import { X12Segment } from './x12-segments';

/** A problem with the interchange's structure: the whole file is refused and nothing applied. */
export interface EnvelopeProblem {
  /** The segment's position in the file (ISA = 1); the line number when each segment has its own line. */
  line: number;
  /** Position in its transaction set (ST = 1), for segments inside one. */
  segment?: number;
  segmentId: string;
  loop: string;
  transactionSet?: string;
  message: string;
}

export type FileAction = 'REPLACE' | 'MERGE';

/** A transaction set as a 999 acknowledges it (AK2/IK5). */
export interface SetTally {
  controlNumber: string;
  memberLoops: number;
  rejectedLoops: number;
  envelopeError: boolean;
}

interface GroupTally {
  controlNumber: string;
  version: string;
  sets: SetTally[];
  closed: boolean;
}

export interface InterchangeHeader {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  controlNumber: string;
}

export type ReaderEvent =
  | { kind: 'INTERCHANGE'; header: InterchangeHeader }
  | { kind: 'GROUP'; senderId: string; receiverId: string }
  | { kind: 'MEMBER'; member: MemberLoop; set: SetTally };

/** BGN08, the action of a transaction set: a full file (replace, or verify) or changes. */
const ACTIONS: Record<string, FileAction> = { RX: 'REPLACE', '4': 'REPLACE', '2': 'MERGE' };
const IMPLEMENTATION = '005010X220A1';
const MAX_LISTED_PROBLEMS = 100;
const NAMES_2100: Record<string, string> = { IL: '2100A', '70': '2100B', '31': '2100C', '36': '2100D', M8: '2100E', S3: '2100F', E1: '2100G', '45': '2100H' };
const NAMES_1000: Record<string, string> = { P5: '1000A', IN: '1000B', BO: '1000C', TV: '1000C' };

/**
 * Follows an 834 interchange segment by segment, holding one member loop at a time: checks the
 * envelope (ISA/IEA, GS/GE, ST/SE: counts, control numbers, nesting, the 005010X220A1 guide),
 * names the loop of every segment, and hands over each member loop when it closes.
 */
export class Interchange834Reader {
  readonly problems: EnvelopeProblem[] = [];
  problemCount = 0;
  header?: InterchangeHeader;
  action?: FileAction;
  private readonly groups: GroupTally[] = [];
  private ordinal = 0;
  private ended = false;
  private group?: GroupTally;
  private set?: { tally: SetTally; count: number; startLine: number };
  private loop = 'HEADER';
  private member?: MemberLoop;

  constructor(private readonly maxLoopSegments = 500) {}

  read(segment: X12Segment): ReaderEvent[] {
    this.ordinal++;
    const events: ReaderEvent[] = [];
    const e = segment.elements;
    if (this.ended) {
      this.problem(segment.id, 'IEA', 'a segment follows IEA: an upload holds one interchange');
      return events;
    }
    switch (segment.id) {
      case 'ISA': {
        if (this.header) {
          this.problem('ISA', 'ISA', 'a second ISA: an upload holds one interchange');
          break;
        }
        if (e.length !== 16) this.problem('ISA', 'ISA', 'ISA must have 16 elements');
        if (e[11] !== '00501') this.problem('ISA', 'ISA', 'ISA12 must be 00501 (version 5010)');
        if (!/^\d{9}$/.test(e[12] ?? '')) this.problem('ISA', 'ISA', 'ISA13 (interchange control number) must be 9 digits');
        this.header = { senderQualifier: e[4] ?? '', senderId: e[5] ?? '', receiverQualifier: e[6] ?? '', receiverId: e[7] ?? '', controlNumber: e[12] ?? '' };
        events.push({ kind: 'INTERCHANGE', header: this.header });
        break;
      }
      case 'GS': {
        if (!this.header) this.problem('GS', 'GS', 'GS before ISA');
        if (this.group && !this.group.closed) this.problem('GS', 'GS', 'GS inside an open functional group (GE missing)');
        if (e[0] !== 'BE') this.problem('GS', 'GS', 'GS01 must be BE (benefit enrollment and maintenance)');
        if (e[7] !== IMPLEMENTATION) this.problem('GS', 'GS', `GS08 must be ${IMPLEMENTATION}`);
        if (!/^\d{1,9}$/.test(e[5] ?? '')) this.problem('GS', 'GS', 'GS06 (group control number) must be 1-9 digits');
        if (this.groups.some((g) => g.controlNumber === e[5])) this.problem('GS', 'GS', 'GS06 repeats the control number of an earlier group');
        this.group = { controlNumber: e[5] ?? '', version: e[7] ?? '', sets: [], closed: false };
        this.groups.push(this.group);
        events.push({ kind: 'GROUP', senderId: e[1] ?? '', receiverId: e[2] ?? '' });
        break;
      }
      case 'ST': {
        if (!this.group || this.group.closed) this.problem('ST', 'ST', 'ST outside a functional group');
        if (this.set) this.problem('ST', 'ST', 'ST inside an open transaction set (SE missing)');
        const tally: SetTally = { controlNumber: e[1] ?? '', memberLoops: 0, rejectedLoops: 0, envelopeError: false };
        this.set = { tally, count: 1, startLine: this.ordinal };
        this.loop = 'HEADER';
        if (e[0] !== '834') this.problem('ST', 'ST', 'ST01 must be 834');
        if (!/^\d{4,9}$/.test(e[1] ?? '')) this.problem('ST', 'ST', 'ST02 (transaction set control number) must be 4-9 digits');
        if (e[2] !== undefined && e[2] !== IMPLEMENTATION) this.problem('ST', 'ST', `ST03 must be ${IMPLEMENTATION}`);
        if (this.group?.sets.some((s) => s.controlNumber === e[1])) this.problem('ST', 'ST', 'ST02 repeats the control number of an earlier set in the group');
        this.group?.sets.push(tally);
        break;
      }
      case 'SE': {
        if (!this.set) {
          this.problem('SE', 'SE', 'SE without ST');
          break;
        }
        events.push(...this.closeMember());
        this.set.count++;
        if (e[0] !== String(this.set.count)) this.problem('SE', 'SE', 'SE01 is not the number of segments from ST to SE');
        if (e[1] !== this.set.tally.controlNumber) this.problem('SE', 'SE', 'SE02 does not match ST02');
        this.set = undefined;
        break;
      }
      case 'GE': {
        if (this.set) {
          this.problem('GE', 'GE', 'GE before the SE of its last transaction set');
          events.push(...this.closeMember());
          this.set = undefined;
        }
        if (!this.group || this.group.closed) {
          this.problem('GE', 'GE', 'GE without GS');
          break;
        }
        if (e[0] !== String(this.group.sets.length)) this.problem('GE', 'GE', 'GE01 is not the number of transaction sets in the group');
        if (e[1] !== this.group.controlNumber) this.problem('GE', 'GE', 'GE02 does not match GS06');
        this.group.closed = true;
        break;
      }
      case 'IEA': {
        if (this.set || (this.group && !this.group.closed)) this.problem('IEA', 'IEA', 'IEA before the GE of its last functional group');
        if (e[0] !== String(this.groups.length)) this.problem('IEA', 'IEA', 'IEA01 is not the number of functional groups in the interchange');
        if (!this.header || e[1] !== this.header.controlNumber) this.problem('IEA', 'IEA', 'IEA02 does not match ISA13');
        this.ended = true;
        break;
      }
      default:
        events.push(...this.readInSet(segment));
    }
    return events;
  }

  /** At the end of the upload: what was left open is a truncated file. */
  finish(): void {
    if (!this.header) this.problem('ISA', 'ISA', 'no ISA segment');
    if (this.set) this.problem('SE', 'SE', 'the file ends inside a transaction set (SE missing)');
    if (this.group && !this.group.closed) this.problem('GE', 'GE', 'the file ends inside a functional group (GE missing)');
    if (!this.ended) this.problem('IEA', 'IEA', 'the file ends without IEA');
    if (this.groups.every((g) => g.sets.length === 0)) this.problem('ST', 'ST', 'the interchange holds no 834 transaction set');
  }

  /** The 999-style summary: per group (AK9) and per transaction set (IK5), accepted, accepted with errors, or rejected. */
  acknowledgement(): Array<{ controlNumber: string; version: string; sets: SetTally[] }> {
    return this.groups.map((g) => ({ controlNumber: g.controlNumber, version: g.version, sets: g.sets }));
  }

  private readInSet(segment: X12Segment): ReaderEvent[] {
    if (!this.set) {
      this.problem(segment.id, 'ENVELOPE', 'a segment outside a transaction set (ST ... SE)');
      return [];
    }
    const events: ReaderEvent[] = [];
    const set = this.set;
    set.count++;
    const e = segment.elements;
    if (set.count === 2) {
      if (segment.id !== 'BGN') this.problem(segment.id, 'HEADER', 'BGN must follow ST');
      else {
        const action = ACTIONS[e[7] ?? ''];
        if (!action) this.problem('BGN', 'HEADER', 'BGN08 must be 2 (changes), 4 (verify: a full file) or RX (replace: a full file)');
        else if (this.action && this.action !== action)
          this.problem('BGN', 'HEADER', 'BGN08 differs between the transaction sets: a file is either full or changes');
        else this.action = action;
      }
    }
    if (segment.id === 'INS') {
      events.push(...this.closeMember());
      this.loop = '2000';
      this.member = { line: this.ordinal, segments: [] };
      set.tally.memberLoops++;
    } else if (!this.member) {
      if (segment.id === 'N1') this.loop = NAMES_1000[e[0] ?? ''] ?? '1000';
    } else {
      this.loop = this.memberLoopOf(segment);
    }
    if (this.member) {
      if (this.member.segments.length < this.maxLoopSegments)
        this.member.segments.push({ segment, loop: this.loop, position: set.count } satisfies LoopSegment);
      else this.member.overflowed = true;
    }
    return events;
  }

  /** The loop of a segment inside a member loop (2000), from the segment and the loop it follows. */
  private memberLoopOf(segment: X12Segment): string {
    const qualifier = segment.elements[0] ?? '';
    switch (segment.id) {
      case 'NM1':
        if (this.loop === '2300' || this.loop === '2310') return '2310';
        if (this.loop === '2320' || this.loop === '2330') return '2330';
        return NAMES_2100[qualifier] ?? '2100';
      case 'DSB':
        return '2200';
      case 'HD':
        return '2300';
      case 'LX':
        return this.loop === '2700' || this.loop === '2750' ? '2750' : '2310';
      case 'COB':
        return '2320';
      case 'LS':
        return '2700';
      case 'LE':
        return '2700';
      default:
        return this.loop;
    }
  }

  private closeMember(): ReaderEvent[] {
    const member = this.member;
    this.member = undefined;
    return member && this.set ? [{ kind: 'MEMBER', member, set: this.set.tally }] : [];
  }

  private problem(segmentId: string, loop: string, message: string): void {
    this.problemCount++;
    if (this.set) this.set.tally.envelopeError = true;
    if (this.problems.length >= MAX_LISTED_PROBLEMS) return;
    this.problems.push({
      line: this.ordinal,
      ...(this.set ? { segment: this.set.count, transactionSet: this.set.tally.controlNumber } : {}),
      segmentId,
      loop,
      message,
    });
  }
}
